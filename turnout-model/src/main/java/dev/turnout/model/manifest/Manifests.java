package dev.turnout.model.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * The objects a set of manifest files holds, by kind. Other kinds (Deployments, ConfigMaps, …) are
 * counted and otherwise ignored, as a proxy ignores them.
 */
public record Manifests(List<Service> services, List<EndpointSlice> endpointSlices, List<Node> nodes, int ignored) {
    public Manifests {
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        nodes = List.copyOf(nodes);
    }

    /** namespace/name of an object, with the default namespace filled in for namespaced kinds. */
    public static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        if (o instanceof Node) {
            return o.getMetadata().getName();
        }
        return (ns == null || ns.isEmpty() ? "default" : ns) + "/" + o.getMetadata().getName();
    }
}
