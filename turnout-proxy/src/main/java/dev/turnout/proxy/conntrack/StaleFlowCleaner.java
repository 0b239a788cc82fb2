package dev.turnout.proxy.conntrack;

import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.kernel.Conntrack;
import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.tracker.EndpointsUpdateResult;
import dev.turnout.proxy.tracker.ServiceUpdateResult;
import dev.turnout.proxy.tracker.StaleEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deletes the UDP conntrack flows a sync made stale, as upstream's exec-based
 * {@code conntrack.CleanStaleEntries}. Run only after the new rules are in place, so that a new flow
 * is created against the new rules rather than re-created against the old ones.
 */
public final class StaleFlowCleaner {
    private final Conntrack conntrack;
    private final IpFamily family;

    public StaleFlowCleaner(Conntrack conntrack, IpFamily family) {
        this.conntrack = conntrack;
        this.family = family;
    }

    /** Runs every deletion it can; returns the failures (upstream logs them and goes on). */
    public List<KernelException> clean(Map<ServicePortName, ServicePort> services, ServiceUpdateResult svc,
            EndpointsUpdateResult eps) {
        List<KernelException> errors = new ArrayList<>();
        Set<String> ips = new TreeSet<>(svc.staleUdpServiceIps());
        Set<Integer> nodePorts = new TreeSet<>(svc.staleUdpNodePorts());
        // A UDP service that goes from no endpoints to some may have flows cached against the
        // REJECT rule ("black holes"); they must go so new packets reach the endpoints.
        for (ServicePortName name : eps.newlyActiveUdpServices()) {
            ServicePort p = services.get(name);
            if (p == null) {
                continue;
            }
            ips.add(p.clusterIp());
            ips.addAll(p.externalIps());
            ips.addAll(p.loadBalancerVips());
            if (p.nodePort() != 0) {
                nodePorts.add(p.nodePort());
            }
        }
        for (String ip : ips) {
            run(errors, () -> conntrack.clearEntriesForIp(ip, Protocol.UDP));
        }
        for (int port : nodePorts) {
            run(errors, () -> conntrack.clearEntriesForPort(port, family == IpFamily.IPv6, Protocol.UDP));
        }
        // Flows DNATed to an endpoint that is gone keep going there until they time out.
        Set<StaleEndpoint> seen = new LinkedHashSet<>(eps.staleUdpEndpoints());
        for (StaleEndpoint stale : seen) {
            ServicePort p = services.get(stale.servicePort());
            if (p == null) {
                continue;
            }
            String ep = stale.endpoint().ip();
            if (p.nodePort() != 0) {
                run(errors, () -> conntrack.clearEntriesForPortNat(ep, p.nodePort(), Protocol.UDP));
            }
            run(errors, () -> conntrack.clearEntriesForNat(p.clusterIp(), ep, Protocol.UDP));
            for (String ext : p.externalIps()) {
                run(errors, () -> conntrack.clearEntriesForNat(ext, ep, Protocol.UDP));
            }
            for (String lb : p.loadBalancerVips()) {
                run(errors, () -> conntrack.clearEntriesForNat(lb, ep, Protocol.UDP));
            }
        }
        return errors;
    }

    @FunctionalInterface
    private interface Deletion {
        void run() throws KernelException;
    }

    private static void run(List<KernelException> errors, Deletion d) {
        try {
            d.run();
        } catch (KernelException e) {
            errors.add(e);
        }
    }
}
