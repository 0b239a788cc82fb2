package dev.turnout.proxy.tracker;

import dev.turnout.model.ServicePortName;
import java.util.List;
import java.util.Set;

/**
 * What applying the pending EndpointSlice changes did, as upstream's {@code UpdateEndpointsMapResult}
 * (in the releases that computed stale conntrack entries from the change itself).
 *
 * @param updatedServices namespace/name of every Service whose endpoints changed
 * @param staleUdpEndpoints serving UDP endpoints that were removed or stopped serving
 * @param newlyActiveUdpServices UDP service ports that went from no serving endpoint to some: flows
 *     that hit the "no endpoints" REJECT may be cached and must go
 */
public record EndpointsUpdateResult(Set<String> updatedServices, List<StaleEndpoint> staleUdpEndpoints,
        Set<ServicePortName> newlyActiveUdpServices) {
    public EndpointsUpdateResult {
        updatedServices = Set.copyOf(updatedServices);
        staleUdpEndpoints = List.copyOf(staleUdpEndpoints);
        newlyActiveUdpServices = Set.copyOf(newlyActiveUdpServices);
    }

    public static final EndpointsUpdateResult EMPTY = new EndpointsUpdateResult(Set.of(), List.of(), Set.of());
}
