package dev.turnout.proxy;

import dev.turnout.model.NodeInfo;
import dev.turnout.model.source.ObjectHandler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * The event side of a proxier (iptables, nftables or userspace), as upstream's On* methods: a change the trackers
 * keep asks for a sync once the proxier is initialized; a synced signal syncs at once,
 * unconditionally, since it comes once per lifetime.
 */
public final class ProxierHandlers {
    private ProxierHandlers() {
    }

    public static ObjectHandler<Service> services(ProxierEvents p) {
        return new ObjectHandler<>() {
            @Override
            public void onAdd(Service o) {
                onUpdate(null, o);
            }

            @Override
            public void onUpdate(Service old, Service cur) {
                if (p.inputs().serviceChanged(old, cur) && p.inputs().initialized()) {
                    p.sync();
                }
            }

            @Override
            public void onDelete(Service o) {
                onUpdate(o, null);
            }

            @Override
            public void onSynced() {
                p.inputs().servicesSynced();
                p.syncProxyRules();
            }
        };
    }

    public static ObjectHandler<EndpointSlice> endpointSlices(ProxierEvents p) {
        return new ObjectHandler<>() {
            @Override
            public void onAdd(EndpointSlice o) {
                changed(p.inputs().endpointSliceChanged(o, false));
            }

            @Override
            public void onUpdate(EndpointSlice old, EndpointSlice cur) {
                changed(p.inputs().endpointSliceChanged(cur, false));
            }

            @Override
            public void onDelete(EndpointSlice o) {
                changed(p.inputs().endpointSliceChanged(o, true));
            }

            private void changed(boolean needed) {
                if (needed && p.inputs().initialized()) {
                    p.sync();
                }
            }

            @Override
            public void onSynced() {
                p.inputs().endpointSlicesSynced();
                p.syncProxyRules();
            }
        };
    }

    /** Events for other nodes are ignored (upstream logs them as unexpected). */
    public static ObjectHandler<Node> nodes(ProxierEvents p) {
        return new ObjectHandler<>() {
            @Override
            public void onAdd(Node o) {
                onUpdate(null, o);
            }

            @Override
            public void onUpdate(Node old, Node cur) {
                if (!p.inputs().nodeName().equals(cur.getMetadata().getName())) {
                    return;
                }
                if (p.health() != null) {
                    p.health().syncNode(cur);
                }
                if (p.setNode(nodeInfoOf(cur))) {
                    p.sync();
                }
            }

            @Override
            public void onDelete(Node o) {
                if (!p.inputs().nodeName().equals(o.getMetadata().getName())) {
                    return;
                }
                if (p.health() != null) {
                    p.health().syncNode(null);
                }
                if (p.setNode(null)) {
                    p.sync();
                }
            }

            @Override
            public void onSynced() {
                p.inputs().nodesSynced();
                if (p.inputs().waitsForNodes()) {
                    p.syncProxyRules();
                }
            }
        };
    }

    public static NodeInfo nodeInfoOf(Node n) {
        List<String> addresses = n.getStatus() == null || n.getStatus().getAddresses() == null ? List.of()
                : n.getStatus().getAddresses().stream().map(NodeAddress::getAddress).toList();
        return new NodeInfo(n.getMetadata().getName(), n.getMetadata().getLabels(), addresses);
    }
}
