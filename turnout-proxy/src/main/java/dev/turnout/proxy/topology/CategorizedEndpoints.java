package dev.turnout.proxy.topology;

import dev.turnout.model.Endpoint;
import java.util.List;

/**
 * The result of {@link TopologyFilter#categorize}: upstream's four return values.
 *
 * @param cluster usable endpoints for Cluster traffic policy (empty when the Service never uses it)
 * @param local usable endpoints for Local traffic policy (empty when the Service never uses it)
 * @param allReachable the union of both: the endpoints that get a KUBE-SEP chain on this node
 * @param hasAnyEndpoints some node has a usable endpoint, even if this one does not
 */
public record CategorizedEndpoints(
        List<Endpoint> cluster, List<Endpoint> local, List<Endpoint> allReachable, boolean hasAnyEndpoints) {

    public static final CategorizedEndpoints NONE = new CategorizedEndpoints(List.of(), List.of(), List.of(), false);
}
