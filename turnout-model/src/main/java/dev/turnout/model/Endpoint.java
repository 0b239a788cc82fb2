package dev.turnout.model;

import java.util.Objects;
import java.util.Set;

/**
 * One backend of one Service port, as kube-proxy's {@code BaseEndpointInfo}: an IP and port with the
 * EndpointSlice conditions and topology facts the proxy decides on.
 *
 * @param local the endpoint runs on the proxy's own node
 * @param zoneHints {@code hints.forZones}, empty when absent
 * @param nodeHints {@code hints.forNodes}, empty when absent
 * @param nodeName the endpoint's node, or null
 * @param zone the endpoint's zone, or null
 */
public record Endpoint(
        String ip,
        int port,
        boolean local,
        boolean ready,
        boolean serving,
        boolean terminating,
        Set<String> zoneHints,
        Set<String> nodeHints,
        String nodeName,
        String zone) implements Comparable<Endpoint> {

    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        zoneHints = zoneHints == null ? Set.of() : Set.copyOf(zoneHints);
        nodeHints = nodeHints == null ? Set.of() : Set.copyOf(nodeHints);
    }

    /** A ready, serving, non-terminating endpoint on another node: the usual case in fixtures. */
    public static Endpoint ready(String ip, int port) {
        return new Endpoint(ip, port, false, true, true, false, Set.of(), Set.of(), null, null);
    }

    public Endpoint withLocal(boolean v) {
        return new Endpoint(ip, port, v, ready, serving, terminating, zoneHints, nodeHints, nodeName, zone);
    }

    public Endpoint withConditions(boolean ready, boolean serving, boolean terminating) {
        return new Endpoint(ip, port, local, ready, serving, terminating, zoneHints, nodeHints, nodeName, zone);
    }

    /** {@code ip:port}, with brackets around an IPv6 address, as kube-proxy prints it. */
    @Override
    public String toString() {
        return Ips.hostPort(ip, port);
    }

    @Override
    public int compareTo(Endpoint o) {
        return toString().compareTo(o.toString());
    }
}
