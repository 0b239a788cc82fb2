package dev.turnout.model.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Map;

/** The kinds a proxy reads, with the one API version of each it understands. */
final class KnownKinds {
    private static final Map<String, String> API_VERSION = Map.of(
            "Service", "v1",
            "Node", "v1",
            "EndpointSlice", "discovery.k8s.io/v1");
    private static final Map<String, Class<? extends HasMetadata>> TYPE = Map.of(
            "Service", Service.class,
            "Node", Node.class,
            "EndpointSlice", EndpointSlice.class);

    private KnownKinds() {
    }

    static Class<? extends HasMetadata> classOf(String apiVersion, String kind) {
        return apiVersion.equals(API_VERSION.get(kind)) ? TYPE.get(kind) : null;
    }

    static String expectedApiVersion(String kind) {
        return API_VERSION.get(kind);
    }
}
