package dev.turnout.proxy.topology;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Upstream's {@code CategorizeEndpoints} (pkg/proxy/topology.go, 1.34): which endpoints Cluster and
 * Local traffic policy may use on this node.
 *
 * <ul>
 *   <li>Usable means Ready; only when no endpoint is Ready does a policy fall back to endpoints
 *       that are Serving and Terminating (each policy on its own).
 *   <li>Topology comes from the hints the EndpointSlice controller wrote, not from the Service:
 *       when every ready endpoint has node hints and one names this node, only those are used
 *       (PreferSameNode, behind the PreferSameTrafficDistribution gate); else when every ready
 *       endpoint has zone hints and one names this node's zone, only those (PreferSameZone /
 *       PreferClose / topology-mode Auto all end up as zone hints).
 * </ul>
 */
public final class TopologyFilter {
    static final String PREFER_SAME_NODE = "PreferSameNode";
    static final String PREFER_SAME_ZONE = "PreferSameZone";

    private final boolean preferSameNodeGate;

    public TopologyFilter(boolean preferSameNodeGate) {
        this.preferSameNodeGate = preferSameNodeGate;
    }

    public CategorizedEndpoints categorize(List<Endpoint> endpoints, ServicePort svc, String nodeName, String zone) {
        if (endpoints.isEmpty()) {
            return CategorizedEndpoints.NONE;
        }
        // Go's zero values: a node without a zone label matches no zone hint.
        nodeName = nodeName == null ? "" : nodeName;
        zone = zone == null ? "" : zone;
        List<Endpoint> cluster = List.of();
        boolean hasAny = false;
        String mode = "";
        if (svc.usesClusterEndpoints()) {
            mode = topologyModeFromHints(endpoints, nodeName, zone);
            cluster = new ArrayList<>(endpoints.size());
            for (Endpoint ep : endpoints) {
                if (ep.ready() && availableForTopology(ep, mode, nodeName, zone)) {
                    cluster.add(ep);
                }
            }
            // No ready endpoint anywhere (topology already fell back when none matched it):
            // use the serving, terminating ones.
            if (cluster.isEmpty()) {
                for (Endpoint ep : endpoints) {
                    if (ep.serving() && ep.terminating()) {
                        cluster.add(ep);
                    }
                }
            }
            hasAny = !cluster.isEmpty();
        }
        if (!svc.usesLocalEndpoints()) {
            return new CategorizedEndpoints(cluster, List.of(), cluster, hasAny);
        }

        boolean localReady = false;
        boolean localServingTerminating = false;
        for (Endpoint ep : endpoints) {
            if (ep.ready()) {
                hasAny = true;
                localReady |= ep.local();
            } else if (ep.serving() && ep.terminating()) {
                hasAny = true;
                localServingTerminating |= ep.local();
            }
        }
        List<Endpoint> local = new ArrayList<>();
        boolean usesServingTerminating = false;
        if (localReady) {
            for (Endpoint ep : endpoints) {
                if (ep.local() && ep.ready()) {
                    local.add(ep);
                }
            }
        } else if (localServingTerminating) {
            usesServingTerminating = true;
            for (Endpoint ep : endpoints) {
                if (ep.local() && ep.serving() && ep.terminating()) {
                    local.add(ep);
                }
            }
        }
        if (!svc.usesClusterEndpoints()) {
            return new CategorizedEndpoints(List.of(), local, local, hasAny);
        }
        if (mode.isEmpty() && !usesServingTerminating) {
            // every ready endpoint is in cluster, so it is a superset of local
            return new CategorizedEndpoints(cluster, local, cluster, hasAny);
        }
        // Upstream merges the two lists through a Go map (random order); ours is sorted by ip:port.
        TreeMap<String, Endpoint> merged = new TreeMap<>();
        for (Endpoint ep : cluster) {
            merged.put(ep.toString(), ep);
        }
        for (Endpoint ep : local) {
            merged.put(ep.toString(), ep);
        }
        return new CategorizedEndpoints(cluster, local, new ArrayList<>(merged.values()), hasAny);
    }

    /** "", PreferSameZone or PreferSameNode, from the hints of the ready endpoints. */
    String topologyModeFromHints(List<Endpoint> endpoints, String nodeName, String zone) {
        boolean hasReady = false;
        boolean forNode = false;
        boolean allNodeHints = true;
        boolean forZone = false;
        boolean allZoneHints = true;
        for (Endpoint ep : endpoints) {
            if (!ep.ready()) {
                continue;
            }
            hasReady = true;
            if (ep.nodeHints().isEmpty()) {
                allNodeHints = false;
            } else if (ep.nodeHints().contains(nodeName)) {
                forNode = true;
            }
            if (ep.zoneHints().isEmpty()) {
                allZoneHints = false;
            } else if (ep.zoneHints().contains(zone)) {
                forZone = true;
            }
        }
        if (!hasReady) {
            return "";
        }
        if (preferSameNodeGate && allNodeHints && forNode) {
            return PREFER_SAME_NODE;
        }
        if (allZoneHints && forZone) {
            return PREFER_SAME_ZONE;
        }
        return "";
    }

    static boolean availableForTopology(Endpoint ep, String mode, String nodeName, String zone) {
        switch (mode) {
            case "":
                return true;
            case PREFER_SAME_NODE:
                return ep.nodeHints().contains(nodeName);
            case PREFER_SAME_ZONE:
                return ep.zoneHints().contains(zone);
            default:
                return false;
        }
    }
}
