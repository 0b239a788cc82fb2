package dev.turnout.proxy.iptables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import java.util.HashMap;
import java.util.Map;

/**
 * Memoises chain names across syncs, as upstream stores them in its servicePortInfo and
 * endpointInfo objects: sha256 per endpoint dominates a large compile otherwise. Two generations
 * are kept so that names of Services and endpoints that disappeared are dropped after one sync.
 */
final class ChainNameCache {
    /** The per-Service names, computed once per Service port. */
    record ServiceChains(String nameString, String protocol, String cluster, String local, String firewall,
            String external, Map<Endpoint, EndpointNames> endpoints) {
    }

    /** An endpoint's {@code ip:port} text and its KUBE-SEP- chain. */
    record EndpointNames(String text, String chain) {
    }

    private Map<ServicePortName, ServiceChains> previous = new HashMap<>();
    private Map<ServicePortName, ServiceChains> current = new HashMap<>();

    ServiceChains service(ServicePort svc) {
        ServicePortName key = svc.name();
        ServiceChains c = current.get(key);
        if (c != null) {
            return c;
        }
        c = previous.get(key);
        String protocol = svc.protocol().lower();
        if (c == null || !c.protocol().equals(protocol)) {
            String name = key.toString();
            String hash = ChainNames.portProtoHash(name, protocol);
            c = new ServiceChains(name, protocol, ChainNames.SERVICE_CLUSTER_PREFIX + hash,
                    ChainNames.SERVICE_LOCAL_PREFIX + hash, ChainNames.FIREWALL_PREFIX + hash,
                    ChainNames.EXTERNAL_PREFIX + hash, new HashMap<>());
        }
        current.put(key, c);
        return c;
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

    /** Ends a sync: what was not used during it is forgotten after the next one. */
    void rotate() {
        previous = current;
        current = new HashMap<>(previous.size() * 2);
    }
}
