package dev.turnout.proxy.userspace;

import dev.turnout.model.Endpoint;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.model.SessionAffinity;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.topology.CategorizedEndpoints;
import dev.turnout.proxy.topology.TopologyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which listeners a proxy state asks for, and where each one's traffic may go: the cluster IP
 * relays to the endpoints for internal traffic; external IPs, load-balancer IPs and NodePorts (on
 * the node addresses) to those for external traffic. Endpoints are chosen as the iptables mode
 * chooses them ({@link TopologyFilter}: ready ones, else serving and terminating ones; topology
 * hints; Local policies). SCTP ports are left out: this dataplane is TCP and UDP only.
 */
public final class ListenerPlan {
    /** The backends of one listener: a backend set's name, its endpoints, and the affinity. */
    public record Target(String set, List<Endpoint> endpoints, SessionAffinity affinity) {
    }

    private ListenerPlan() {
    }

    public static Map<ListenerKey, Target> of(ProxyState state, String nodeName, List<String> nodeIps,
            TopologyFilter topology) {
        Map<ListenerKey, Target> out = new TreeMap<>();
        NodeInfo node = state.node();
        String zone = node == null ? null : node.zone();
        for (Map.Entry<ServicePortName, ServicePort> e : state.services().entrySet()) {
            ServicePort svc = e.getValue();
            if (svc.protocol() == Protocol.SCTP) {
                continue;
            }
            CategorizedEndpoints cat = topology.categorize(state.endpointsOf(e.getKey()), svc, nodeName, zone);
            Target internal = new Target(e.getKey() + " (internal)",
                    svc.internalPolicyLocal() ? cat.local() : cat.cluster(), svc.sessionAffinity());
            Target external = new Target(e.getKey() + " (external)",
                    svc.externalPolicyLocal() ? cat.local() : cat.cluster(), svc.sessionAffinity());
            if (svc.clusterIp() != null && !svc.clusterIp().isEmpty() && !"None".equals(svc.clusterIp())) {
                out.put(new ListenerKey(svc.clusterIp(), svc.port(), svc.protocol()), internal);
            }
            List<String> externalIps = new ArrayList<>(svc.externalIps());
            externalIps.addAll(svc.loadBalancerVips());
            for (String ip : externalIps) {
                out.put(new ListenerKey(ip, svc.port(), svc.protocol()), external);
            }
            if (svc.nodePort() != 0) {
                for (String ip : nodeIps) {
                    out.put(new ListenerKey(ip, svc.nodePort(), svc.protocol()), external);
                }
            }
        }
        return out;
    }
}
