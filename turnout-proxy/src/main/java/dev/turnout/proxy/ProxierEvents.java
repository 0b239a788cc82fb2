package dev.turnout.proxy;

import dev.turnout.model.NodeInfo;
import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ObjectHandler;
import dev.turnout.proxy.healthz.ProxyHealth;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

/**
 * What {@link ProxierHandlers} needs of a proxier: its {@link ProxierInputs}, its sync triggers,
 * and what a change of its Node means; and the handlers it gets from them.
 */
public interface ProxierEvents {
    /** The change trackers, synced flags and Node this proxier syncs from. */
    ProxierInputs inputs();

    /** Asks for a sync as soon as the pacing allows. */
    void sync();

    /** Syncs now. */
    void syncProxyRules();

    /** The /healthz state to feed, or null. */
    ProxyHealth health();

    /** Sets this proxy's Node; true when it changed (and a sync is needed). */
    boolean setNode(NodeInfo info);

    /** Service events for this proxier (upstream OnService*). */
    default ObjectHandler<Service> serviceHandler() {
        return ProxierHandlers.services(this);
    }

    /** EndpointSlice events for this proxier (upstream OnEndpointSlice*). */
    default ObjectHandler<EndpointSlice> endpointSliceHandler() {
        return ProxierHandlers.endpointSlices(this);
    }

    /** Node events; only this proxy's own Node counts (upstream OnNode*). */
    default ObjectHandler<Node> nodeHandler() {
        return ProxierHandlers.nodes(this);
    }

    /** Starts {@code source} delivering to this proxier. */
    default void attach(ClusterSource source) throws Exception {
        source.start(serviceHandler(), endpointSliceHandler(), nodeHandler());
    }
}
