package dev.turnout.proxy;

import dev.turnout.model.NodeInfo;
import dev.turnout.proxy.healthz.ProxyHealth;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/** What {@link ProxierHandlers} needs of a proxier: its change trackers, sync triggers and node. */
public interface ProxierEvents {
    /** Records a Service change; true when a sync is needed. */
    boolean serviceChanged(Service old, Service cur);

    /** Records an EndpointSlice change; true when a sync is needed. */
    boolean endpointSliceChanged(EndpointSlice slice, boolean remove);

    void servicesSynced();

    void endpointSlicesSynced();

    void nodesSynced();

    /** Services and EndpointSlices (and Nodes, if waited for) have synced. */
    boolean initialized();

    boolean waitsForNodes();

    /** Asks for a sync as soon as the pacing allows. */
    void sync();

    /** Syncs now. */
    void syncProxyRules();

    String nodeName();

    /** The /healthz state to feed, or null. */
    ProxyHealth health();

    /** Sets this proxy's Node; true when it changed (the proxier then needs a full sync). */
    boolean setNode(NodeInfo info);
}
