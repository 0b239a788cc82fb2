package dev.turnout.dns.kubernetes;

import dev.turnout.model.EndpointsMap;
import dev.turnout.model.source.ObjectHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The records' source of truth: Service and EndpointSlice events in, {@link ServiceEntry}s out,
 * looked up by namespace and name, and by IP for PTR. One thread writes (the source's event
 * thread, serialised here); any number of query threads read the concurrent maps without locks
 * and always see whole entries.
 */
public final class DnsIndex {
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, Map<String, EndpointSlice>> slicesByService = new HashMap<>();
    private final Map<String, ServiceEntry> entries = new HashMap<>();

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ServiceEntry>> byNamespace = new ConcurrentHashMap<>();
    /** IP → the services and endpoints that own it, for PTR. */
    private final ConcurrentHashMap<InetAddress, List<PtrOwner>> byIp = new ConcurrentHashMap<>();
    /** "namespace/ip" of endpoints whose targetRef is a Pod, for {@code --pods verified}. */
    private final ConcurrentHashMap<String, Integer> podIps = new ConcurrentHashMap<>();

    private volatile boolean servicesSynced;
    private volatile boolean slicesSynced;
    private final LongSupplier clock;
    private volatile long modified;

    public DnsIndex() {
        this(() -> System.currentTimeMillis() / 1000);
    }

    /** @param clock seconds since the epoch, for the SOA serial */
    public DnsIndex(LongSupplier clock) {
        this.clock = clock;
        this.modified = clock.getAsLong();
    }

    /** A PTR target: a Service (endpointLabel null) or one of its endpoints. */
    public record PtrOwner(String namespace, String service, String endpointLabel) {
    }

    public ObjectHandler<Service> serviceHandler() {
        return new ObjectHandler<>() {
            @Override
            public void onAdd(Service o) {
                putService(o);
            }

            @Override
            public void onUpdate(Service old, Service cur) {
                putService(cur);
            }

            @Override
            public void onDelete(Service o) {
                deleteService(o);
            }

            @Override
            public void onSynced() {
                servicesSynced = true;
            }
        };
    }

    public ObjectHandler<EndpointSlice> sliceHandler() {
        return new ObjectHandler<>() {
            @Override
            public void onAdd(EndpointSlice o) {
                putSlice(o);
            }

            @Override
            public void onUpdate(EndpointSlice old, EndpointSlice cur) {
                if (!key(old).equals(key(cur)) || !String.valueOf(EndpointsMap.serviceOf(old))
                        .equals(String.valueOf(EndpointsMap.serviceOf(cur)))) {
                    deleteSlice(old);
                }
                putSlice(cur);
            }

            @Override
            public void onDelete(EndpointSlice o) {
                deleteSlice(o);
            }

            @Override
            public void onSynced() {
                slicesSynced = true;
            }
        };
    }

    /** True once both Services and EndpointSlices have been listed in full. */
    public boolean synced() {
        return servicesSynced && slicesSynced;
    }

    /** Seconds since the epoch of the last change; the SOA serial, as CoreDNS's {@code Modified}. */
    public long modified() {
        return modified;
    }

    public ServiceEntry service(String namespace, String name) {
        Map<String, ServiceEntry> ns = byNamespace.get(namespace);
        return ns == null ? null : ns.get(name);
    }

    /** A namespace exists for DNS while it holds at least one Service. */
    public boolean namespaceExists(String namespace) {
        Map<String, ServiceEntry> ns = byNamespace.get(namespace);
        return ns != null && !ns.isEmpty();
    }

    public List<PtrOwner> owners(InetAddress ip) {
        return byIp.getOrDefault(ip, List.of());
    }

    public boolean isPod(String namespace, InetAddress ip) {
        return podIps.containsKey(namespace + "/" + ip.getHostAddress());
    }

    public int size() {
        synchronized (this) {
            return entries.size();
        }
    }

    private synchronized void putService(Service s) {
        String k = key(s);
        services.put(k, s);
        rebuild(k);
    }

    private synchronized void deleteService(Service s) {
        String k = key(s);
        services.remove(k);
        rebuild(k);
    }

    private synchronized void putSlice(EndpointSlice slice) {
        String svc = EndpointsMap.serviceOf(slice);
        if (svc == null) {
            return;
        }
        slicesByService.computeIfAbsent(svc, x -> new HashMap<>()).put(key(slice), slice);
        rebuild(svc);
    }

    private synchronized void deleteSlice(EndpointSlice slice) {
        String svc = EndpointsMap.serviceOf(slice);
        if (svc == null) {
            return;
        }
        Map<String, EndpointSlice> m = slicesByService.get(svc);
        if (m != null) {
            m.remove(key(slice));
            if (m.isEmpty()) {
                slicesByService.remove(svc);
            }
        }
        rebuild(svc);
    }

    /** Recomputes one Service's entry and swaps it into the lookup maps. */
    private void rebuild(String svcKey) {
        Service svc = services.get(svcKey);
        ServiceEntry next = svc == null ? null
                : ServiceEntries.of(svc, new ArrayList<>(slicesByService.getOrDefault(svcKey, Map.of()).values()));
        ServiceEntry prev = next == null ? entries.remove(svcKey) : entries.put(svcKey, next);
        if (next != null && next.equals(prev)) {
            return;
        }
        if (prev != null) {
            unindex(prev);
        }
        if (next != null) {
            byNamespace.computeIfAbsent(next.namespace(), x -> new ConcurrentHashMap<>()).put(next.name(), next);
            index(next);
        }
        modified = Math.max(modified, clock.getAsLong());
    }

    private void index(ServiceEntry e) {
        for (InetAddress ip : e.clusterIps()) {
            addOwner(ip, new PtrOwner(e.namespace(), e.name(), null));
        }
        for (ServiceEntry.Ep ep : e.endpoints()) {
            // PTR for every Service's endpoints, as CoreDNS's serviceRecordForIP searches all endpoints
            addOwner(ep.ip(), new PtrOwner(e.namespace(), e.name(), ep.label()));
            if (ep.podNamespace() != null) {
                podIps.merge(ep.podNamespace() + "/" + ep.ip().getHostAddress(), 1, Integer::sum);
            }
        }
    }

    private void unindex(ServiceEntry e) {
        Map<String, ServiceEntry> ns = byNamespace.get(e.namespace());
        if (ns != null) {
            ns.remove(e.name());
            if (ns.isEmpty()) {
                byNamespace.remove(e.namespace());
            }
        }
        for (InetAddress ip : e.clusterIps()) {
            removeOwner(ip, new PtrOwner(e.namespace(), e.name(), null));
        }
        for (ServiceEntry.Ep ep : e.endpoints()) {
            removeOwner(ep.ip(), new PtrOwner(e.namespace(), e.name(), ep.label()));
            if (ep.podNamespace() != null) {
                podIps.computeIfPresent(ep.podNamespace() + "/" + ep.ip().getHostAddress(), (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    private void addOwner(InetAddress ip, PtrOwner o) {
        byIp.compute(ip, (k, list) -> {
            List<PtrOwner> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(o);
            return List.copyOf(next);
        });
    }

    private void removeOwner(InetAddress ip, PtrOwner o) {
        byIp.computeIfPresent(ip, (k, list) -> {
            List<PtrOwner> next = new ArrayList<>(list);
            next.remove(o);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    private static String key(HasMetadata o) {
        return ServiceEntries.namespaceOf(o.getMetadata().getNamespace()) + "/" + o.getMetadata().getName();
    }

    /** For tests: the set of namespaces currently holding Services. */
    Set<String> namespaces() {
        return byNamespace.keySet();
    }
}
