package dev.turnout.proxy;

import dev.turnout.model.IpFamily;
import dev.turnout.model.NodeInfo;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.tracker.ChangeListener;
import dev.turnout.proxy.tracker.EndpointsChangeTracker;
import dev.turnout.proxy.tracker.ServiceChangeTracker;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Objects;

/**
 * What every proxier keeps on its event side, whatever its mode: the Service and EndpointSlice
 * change trackers (counted in the metrics), the synced flags that gate the first sync, and this
 * proxy's Node. A sync drains the trackers; a mode decides itself what a Node change means.
 */
public final class ProxierInputs {
    private final String nodeName;
    private final boolean waitForNodes;
    private final ServiceChangeTracker serviceChanges;
    private final EndpointsChangeTracker endpointsChanges;

    private volatile boolean servicesSynced;
    private volatile boolean endpointSlicesSynced;
    private volatile boolean nodesSynced;
    private volatile NodeInfo node;

    /** @param waitForNodes whether {@link #initialized} also waits for Nodes to have synced */
    public ProxierInputs(IpFamily family, String nodeName, ProxyMetrics metrics, boolean waitForNodes) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.waitForNodes = waitForNodes;
        this.serviceChanges = new ServiceChangeTracker(family, listener(metrics.serviceChangesTotal::inc,
                n -> metrics.serviceChangesPending.set(n)));
        this.endpointsChanges = new EndpointsChangeTracker(family, nodeName,
                listener(metrics.endpointChangesTotal::inc, n -> metrics.endpointChangesPending.set(n)));
    }

    private static ChangeListener listener(Runnable seen, java.util.function.IntConsumer pending) {
        return new ChangeListener() {
            @Override
            public void changeSeen() {
                seen.run();
            }

            @Override
            public void pending(int count) {
                pending.accept(count);
            }
        };
    }

    public ServiceChangeTracker serviceChanges() {
        return serviceChanges;
    }

    public EndpointsChangeTracker endpointsChanges() {
        return endpointsChanges;
    }

    /** Records a Service change; true when a sync is needed. */
    public boolean serviceChanged(Service old, Service cur) {
        return serviceChanges.update(old, cur);
    }

    /** Records an EndpointSlice change; true when a sync is needed. */
    public boolean endpointSliceChanged(EndpointSlice slice, boolean remove) {
        return endpointsChanges.update(slice, remove);
    }

    public void servicesSynced() {
        servicesSynced = true;
    }

    public void endpointSlicesSynced() {
        endpointSlicesSynced = true;
    }

    public void nodesSynced() {
        nodesSynced = true;
    }

    /** Services and EndpointSlices (and Nodes, if waited for) have synced. */
    public boolean initialized() {
        return servicesSynced && endpointSlicesSynced && (!waitForNodes || nodesSynced);
    }

    public boolean waitsForNodes() {
        return waitForNodes;
    }

    public String nodeName() {
        return nodeName;
    }

    /** This proxy's Node, or null before it is seen or after it is deleted. */
    public NodeInfo node() {
        return node;
    }

    /** Sets this proxy's Node; true when it changed. */
    public synchronized boolean setNode(NodeInfo info) {
        if (Objects.equals(node, info)) {
            return false;
        }
        node = info;
        return true;
    }
}
