package dev.turnout.model.source;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/**
 * Where a proxy's Services, EndpointSlices and Nodes come from (an API server, manifest files, a
 * test). {@link #start} begins delivering events to the handlers, each kind followed by its
 * synced signal; {@link #close} stops delivery.
 */
public interface ClusterSource extends AutoCloseable {
    void start(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices, ObjectHandler<Node> nodes)
            throws Exception;

    @Override
    void close();
}
