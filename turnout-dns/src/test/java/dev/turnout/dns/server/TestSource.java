package dev.turnout.dns.server;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ObjectHandler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/** A source that delivers fixed objects, then (if asked) the synced signals; later changes by hand. */
final class TestSource implements ClusterSource {
    private final List<Service> services;
    private final List<EndpointSlice> slices;
    private final boolean sync;
    ObjectHandler<Service> svcHandler;
    ObjectHandler<EndpointSlice> sliceHandler;

    TestSource(List<Service> services, List<EndpointSlice> slices, boolean sync) {
        this.services = services;
        this.slices = slices;
        this.sync = sync;
    }

    @Override
    public void start(ObjectHandler<Service> s, ObjectHandler<EndpointSlice> e, ObjectHandler<Node> nodes) {
        svcHandler = s;
        sliceHandler = e;
        services.forEach(s::onAdd);
        slices.forEach(e::onAdd);
        if (sync) {
            synced();
        }
    }

    void synced() {
        svcHandler.onSynced();
        sliceHandler.onSynced();
    }

    @Override
    public void close() {
    }
}
