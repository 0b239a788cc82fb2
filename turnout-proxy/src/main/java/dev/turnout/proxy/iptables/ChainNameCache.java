package dev.turnout.proxy.iptables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import java.util.HashMap;
import java.util.Map;

/**
 * Memoises chain names across syncs, as upstream stores them in its servicePortInfo and
 * endpointInfo objects: sha256 per endpoint dominates a large compile otherwise. The names of a
 * Service port live in its {@link ServiceFragment}, so they go when the Service goes.
 */
final class ChainNameCache {
    /** The per-Service names, computed once per Service port. */
    record ServiceChains(ServicePortName key, String nameString, String protocol, String cluster, String local,
            String firewall, String external, Map<Endpoint, EndpointNames> endpoints) {
    }

    /** An endpoint's {@code ip:port} text and its KUBE-SEP- chain. */
    record EndpointNames(String text, String chain) {
    }

    /**
     * The names of a Service port's chains: those of {@code previous} (what the last sync used for
     * it, or null) when still valid, else computed.
     */
    ServiceChains service(ServicePort svc, ServiceChains previous) {
        ServicePortName key = svc.name();
        String protocol = svc.protocol().lower();
        if (previous != null && previous.protocol().equals(protocol) && previous.key().equals(key)) {
            return previous;
        }
        String name = key.toString();
        String hash = ChainNames.portProtoHash(name, protocol);
        return new ServiceChains(key, name, protocol, ChainNames.SERVICE_CLUSTER_PREFIX + hash,
                ChainNames.SERVICE_LOCAL_PREFIX + hash, ChainNames.FIREWALL_PREFIX + hash,
                ChainNames.EXTERNAL_PREFIX + hash, new HashMap<>());
    }

    /**
     * The text and KUBE-SEP- chain of an endpoint. Upstream hashes with the ServicePortName's
     * protocol; the protocol of a port and of its name are the same.
     */
    EndpointNames endpoint(ServiceChains svc, Endpoint ep) {
        EndpointNames n = svc.endpoints().get(ep);
        if (n == null) {
            String text = ep.toString();
            n = new EndpointNames(text, ChainNames.endpointChain(svc.nameString(), svc.protocol(), text));
            svc.endpoints().put(ep, n);
        }
        return n;
    }
}
