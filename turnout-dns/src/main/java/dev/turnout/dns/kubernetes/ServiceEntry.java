package dev.turnout.dns.kubernetes;

import java.net.InetAddress;
import java.util.List;

/**
 * What DNS needs of one Service, derived from the Service and its EndpointSlices: its kind, its
 * cluster IPs, the ports that make SRV records, and the endpoints that headless answers list.
 * Immutable; the index swaps whole entries when objects change.
 */
public record ServiceEntry(String namespace, String name, Kind kind, List<InetAddress> clusterIps,
        String externalName, List<Port> ports, List<Ep> endpoints) {

    public enum Kind { CLUSTER_IP, HEADLESS, EXTERNAL_NAME }

    /** A named or unnamed port; protocol lower-case ({@code tcp}, {@code udp}, {@code sctp}). */
    public record Port(String name, String protocol, int port) {
    }

    /**
     * One endpoint address: its DNS label (the endpoint hostname, or the IP with dashes as CoreDNS's
     * {@code endpointHostname}), the address, and the namespace of the Pod it targets (null if none).
     */
    public record Ep(String label, InetAddress ip, String podNamespace) {
    }

    public ServiceEntry {
        clusterIps = List.copyOf(clusterIps);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
