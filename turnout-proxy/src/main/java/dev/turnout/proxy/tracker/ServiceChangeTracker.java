package dev.turnout.proxy.tracker;

import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.model.ServicePorts;
import io.fabric8.kubernetes.api.model.Service;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Accumulates Service changes between syncs, as upstream's {@code ServiceChangeTracker}: per
 * Service (namespace/name) it keeps the ports as they were at the last sync ({@code previous}) and
 * as they are now ({@code current}); a change that returns a Service to its synced state cancels
 * out. Safe to call from event threads while the sync thread applies.
 */
public final class ServiceChangeTracker {
    private final IpFamily family;
    private final ChangeListener listener;
    private final Map<String, Change> items = new HashMap<>();

    private record Change(Map<ServicePortName, ServicePort> previous, Map<ServicePortName, ServicePort> current) {
    }

    public ServiceChangeTracker(IpFamily family, ChangeListener listener) {
        this.family = family;
        this.listener = listener;
    }

    /**
     * Records one event ({@code previous} null for an add, {@code current} null for a delete).
     * Returns whether any change is pending, which is when the proxier should ask for a sync.
     */
    public boolean update(Service previous, Service current) {
        Service svc = current != null ? current : previous;
        if (svc == null) {
            return false;
        }
        listener.changeSeen();
        String key = namespacedName(svc);
        synchronized (this) {
            Change change = items.get(key);
            Map<ServicePortName, ServicePort> before = change != null ? change.previous() : portsOf(previous);
            Map<ServicePortName, ServicePort> after = portsOf(current);
            if (before.equals(after)) {
                items.remove(key);
            } else {
                items.put(key, new Change(before, after));
            }
            listener.pending(items.size());
            return !items.isEmpty();
        }
    }

    /** Applies every pending change to {@code svcPortMap} and forgets them. */
    public ServiceUpdateResult applyTo(Map<ServicePortName, ServicePort> svcPortMap) {
        Map<String, Change> changes;
        synchronized (this) {
            changes = new LinkedHashMap<>(items);
            items.clear();
            listener.pending(0);
        }
        Set<String> updated = new HashSet<>();
        Set<String> staleIps = new HashSet<>();
        Set<Integer> staleNodePorts = new HashSet<>();
        changes.forEach((key, change) -> {
            updated.add(key);
            svcPortMap.putAll(change.current());
            change.previous().forEach((name, old) -> {
                ServicePort now = change.current().get(name);
                if (now == null) {
                    svcPortMap.remove(name);
                }
                if (old.protocol() == Protocol.UDP) {
                    collectStale(old, now, staleIps, staleNodePorts);
                }
            });
        });
        return new ServiceUpdateResult(updated, staleIps, staleNodePorts);
    }

    /**
     * Upstream flushes the cluster IP of a deleted UDP port; we also flush its external and load
     * balancer IPs and NodePort, and those a changed port stopped using, since flows to them would
     * otherwise keep their old DNAT until they time out.
     */
    private static void collectStale(ServicePort old, ServicePort now, Set<String> ips, Set<Integer> nodePorts) {
        Set<String> oldIps = ipsOf(old);
        if (now != null && now.protocol() == Protocol.UDP && now.port() == old.port()) {
            oldIps.removeAll(ipsOf(now));
        }
        ips.addAll(oldIps);
        if (old.nodePort() != 0 && (now == null || now.nodePort() != old.nodePort())) {
            nodePorts.add(old.nodePort());
        }
    }

    private static Set<String> ipsOf(ServicePort p) {
        Set<String> out = new HashSet<>();
        if (p.clusterIp() != null) {
            out.add(p.clusterIp());
        }
        out.addAll(p.externalIps());
        out.addAll(p.loadBalancerVips());
        return out;
    }

    private Map<ServicePortName, ServicePort> portsOf(Service svc) {
        return svc == null ? Map.of() : ServicePorts.of(svc, family);
    }

    static String namespacedName(Service svc) {
        String ns = svc.getMetadata().getNamespace();
        return (ns == null || ns.isEmpty() ? "default" : ns) + "/" + Objects.requireNonNull(svc.getMetadata().getName());
    }
}
