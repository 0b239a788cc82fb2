package dev.turnout.proxy.tracker;

import java.util.Set;

/**
 * What applying the pending Service changes did, as upstream's {@code UpdateServiceMapResult}.
 *
 * @param updatedServices namespace/name of every Service added, changed or deleted
 * @param staleUdpServiceIps IPs (cluster, external, load balancer) that UDP service ports no longer
 *     serve, whose conntrack flows must go
 * @param staleUdpNodePorts NodePorts that UDP service ports no longer use
 */
public record ServiceUpdateResult(Set<String> updatedServices, Set<String> staleUdpServiceIps,
        Set<Integer> staleUdpNodePorts) {
    public ServiceUpdateResult {
        updatedServices = Set.copyOf(updatedServices);
        staleUdpServiceIps = Set.copyOf(staleUdpServiceIps);
        staleUdpNodePorts = Set.copyOf(staleUdpNodePorts);
    }

    public static final ServiceUpdateResult EMPTY = new ServiceUpdateResult(Set.of(), Set.of(), Set.of());
}
