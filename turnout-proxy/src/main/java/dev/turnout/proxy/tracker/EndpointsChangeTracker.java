package dev.turnout.proxy.tracker;

import dev.turnout.model.Endpoint;
import dev.turnout.model.EndpointsMap;
import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePortName;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accumulates EndpointSlice changes between syncs, as upstream's {@code EndpointsChangeTracker} with
 * its {@code EndpointSliceCache}: per Service it keeps the slices applied at the last sync and the
 * pending ones, and an update is pending only when it changes what the proxy sees of that slice
 * (its parsed endpoints), not when only metadata moved.
 */
public final class EndpointsChangeTracker {
    private final IpFamily family;
    private final String nodeName;
    private final ChangeListener listener;
    private final Map<String, ServiceSlices> services = new HashMap<>();

    /** A slice as the proxy sees it; a removal has no slice. */
    private record SliceData(EndpointSlice slice, Map<ServicePortName, List<Endpoint>> parsed) {
        boolean removed() {
            return slice == null;
        }

        boolean sameAs(SliceData o) {
            return o != null && removed() == o.removed() && parsed.equals(o.parsed);
        }
    }

    private static final class ServiceSlices {
        final Map<String, EndpointSlice> applied = new LinkedHashMap<>();
        final Map<String, SliceData> pending = new LinkedHashMap<>();
    }

    public EndpointsChangeTracker(IpFamily family, String nodeName, ChangeListener listener) {
        this.family = family;
        this.nodeName = nodeName;
        this.listener = listener;
    }

    /**
     * Records an added/updated slice, or a deleted one when {@code remove}. Returns whether this
     * event changed anything, which is when the proxier should ask for a sync. Slices of the other
     * IP family, FQDN slices and slices naming no Service are ignored, as upstream.
     */
    public boolean update(EndpointSlice slice, boolean remove) {
        if (slice == null || !family.name().equals(slice.getAddressType())) {
            return false;
        }
        String service = EndpointsMap.serviceOf(slice);
        if (service == null) {
            return false;
        }
        listener.changeSeen();
        String key = slice.getMetadata().getName();
        SliceData data = remove ? new SliceData(null, Map.of())
                : new SliceData(slice, EndpointsMap.of(List.of(slice), family, nodeName));
        synchronized (this) {
            ServiceSlices s = services.computeIfAbsent(service, k -> new ServiceSlices());
            boolean changed;
            if (s.pending.containsKey(key)) {
                changed = !data.sameAs(s.pending.get(key));
            } else if (s.applied.containsKey(key)) {
                EndpointSlice applied = s.applied.get(key);
                changed = !data.sameAs(new SliceData(applied, EndpointsMap.of(List.of(applied), family, nodeName)));
            } else {
                changed = !remove;
            }
            if (changed) {
                s.pending.put(key, data);
            }
            listener.pending(pendingCount());
            return changed;
        }
    }

    private int pendingCount() {
        int n = 0;
        for (ServiceSlices s : services.values()) {
            n += s.pending.isEmpty() ? 0 : 1;
        }
        return n;
    }

    /** Applies every pending change to {@code endpointsMap} and forgets them. */
    public EndpointsUpdateResult applyTo(Map<ServicePortName, List<Endpoint>> endpointsMap) {
        Map<String, Map<ServicePortName, List<Endpoint>>> previous = new LinkedHashMap<>();
        Map<String, Map<ServicePortName, List<Endpoint>>> current = new LinkedHashMap<>();
        synchronized (this) {
            for (var it = services.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                ServiceSlices s = e.getValue();
                if (s.pending.isEmpty()) {
                    continue;
                }
                previous.put(e.getKey(), merged(s.applied));
                s.pending.forEach((key, data) -> {
                    if (data.removed()) {
                        s.applied.remove(key);
                    } else {
                        s.applied.put(key, data.slice());
                    }
                });
                s.pending.clear();
                current.put(e.getKey(), merged(s.applied));
                if (s.applied.isEmpty()) {
                    it.remove();
                }
            }
            listener.pending(0);
        }
        Set<String> updated = new HashSet<>();
        List<StaleEndpoint> stale = new ArrayList<>();
        Set<ServicePortName> newlyActive = new HashSet<>();
        previous.forEach((service, before) -> {
            Map<ServicePortName, List<Endpoint>> after = current.get(service);
            if (before.equals(after)) {
                return;
            }
            updated.add(service);
            before.keySet().forEach(endpointsMap::remove);
            endpointsMap.putAll(after);
            detectStale(before, after, stale, newlyActive);
        });
        return new EndpointsUpdateResult(updated, stale, newlyActive);
    }

    private Map<ServicePortName, List<Endpoint>> merged(Map<String, EndpointSlice> slices) {
        return EndpointsMap.of(new ArrayList<>(slices.values()), family, nodeName);
    }

    /**
     * Upstream's detectStaleConntrackEntries: a UDP endpoint that was serving and now is gone or not
     * serving may have flows pinned to it; a UDP port that had no serving endpoint and now has one
     * may have flows cached against its REJECT rule.
     */
    static void detectStale(Map<ServicePortName, List<Endpoint>> before, Map<ServicePortName, List<Endpoint>> after,
            List<StaleEndpoint> stale, Set<ServicePortName> newlyActive) {
        before.forEach((port, eps) -> {
            if (port.protocol() != Protocol.UDP) {
                return;
            }
            Map<String, Endpoint> now = new HashMap<>();
            after.getOrDefault(port, List.of()).forEach(ep -> now.put(ep.toString(), ep));
            for (Endpoint ep : eps) {
                if (!ep.serving()) {
                    continue;
                }
                Endpoint n = now.get(ep.toString());
                if (n == null || !n.serving()) {
                    stale.add(new StaleEndpoint(port, ep));
                }
            }
        });
        after.forEach((port, eps) -> {
            if (port.protocol() == Protocol.UDP && anyServing(eps) && !anyServing(before.getOrDefault(port, List.of()))) {
                newlyActive.add(port);
            }
        });
    }

    private static boolean anyServing(List<Endpoint> eps) {
        return eps.stream().anyMatch(Endpoint::serving);
    }
}
