package dev.turnout.model.source;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/** Where a consumer's Services, EndpointSlices and Nodes come from: manifests on disk or a live API. */
public interface ClusterSource extends AutoCloseable {
    void start(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices, ObjectHandler<Node> nodes)
            throws Exception;

    @Override
    void close();
}
