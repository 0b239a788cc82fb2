package dev.turnout.dns.kubernetes;

import dev.turnout.model.Ips;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Pure functions from a Service and its EndpointSlices to the {@link ServiceEntry} DNS answers from. */
public final class ServiceEntries {
    private ServiceEntries() {
    }

    public static ServiceEntry of(Service svc, List<EndpointSlice> slices) {
        ServiceSpec spec = svc.getSpec();
        String ns = namespaceOf(svc.getMetadata().getNamespace());
        String name = svc.getMetadata().getName();
        if (spec == null) {
            return new ServiceEntry(ns, name, ServiceEntry.Kind.CLUSTER_IP, List.of(), null, List.of(), List.of());
        }
        if ("ExternalName".equals(spec.getType())) {
            String target = spec.getExternalName() == null ? "" : spec.getExternalName();
            return new ServiceEntry(ns, name, ServiceEntry.Kind.EXTERNAL_NAME, List.of(), target, List.of(), List.of());
        }
        if ("None".equals(spec.getClusterIP())) {
            boolean publishNotReady = Boolean.TRUE.equals(spec.getPublishNotReadyAddresses());
            return new ServiceEntry(ns, name, ServiceEntry.Kind.HEADLESS, List.of(), null, slicePorts(slices),
                    endpoints(slices, publishNotReady));
        }
        // a ClusterIP Service's endpoints answer only PTR (and --pods verified), as in CoreDNS
        return new ServiceEntry(ns, name, ServiceEntry.Kind.CLUSTER_IP, clusterIps(spec), null, specPorts(spec),
                endpoints(slices, Boolean.TRUE.equals(spec.getPublishNotReadyAddresses())));
    }

    static String namespaceOf(String ns) {
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /** clusterIPs (dual stack) or clusterIP; IPv4 first, as the records are grouped by type anyway. */
    private static List<InetAddress> clusterIps(ServiceSpec spec) {
        Set<InetAddress> ips = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        if (spec.getClusterIPs() != null) {
            texts.addAll(spec.getClusterIPs());
        }
        if (spec.getClusterIP() != null) {
            texts.add(spec.getClusterIP());
        }
        for (String t : texts) {
            InetAddress a = Ips.parse(t);
            if (a != null) {
                ips.add(a);
            }
        }
        return new ArrayList<>(ips);
    }

    private static List<ServiceEntry.Port> specPorts(ServiceSpec spec) {
        List<ServiceEntry.Port> ports = new ArrayList<>();
        if (spec.getPorts() != null) {
            for (var p : spec.getPorts()) {
                if (p.getPort() != null && p.getPort() > 0) {
                    ports.add(new ServiceEntry.Port(lower(p.getName()), protocol(p.getProtocol()), p.getPort()));
                }
            }
        }
        return ports;
    }

    /** A headless Service's SRV ports are its endpoints' ports (CoreDNS reads them from the slices). */
    private static List<ServiceEntry.Port> slicePorts(List<EndpointSlice> slices) {
        Set<ServiceEntry.Port> ports = new LinkedHashSet<>();
        for (EndpointSlice s : sorted(slices)) {
            if (s.getPorts() == null) {
                continue;
            }
            for (EndpointPort p : s.getPorts()) {
                if (p.getPort() != null && p.getPort() > 0) {
                    ports.add(new ServiceEntry.Port(lower(p.getName()), protocol(p.getProtocol()), p.getPort()));
                }
            }
        }
        return new ArrayList<>(ports);
    }

    /**
     * Ready endpoints (or all, with publishNotReadyAddresses), one per address; an unset ready
     * condition counts as ready, as the EndpointSlice API says consumers should read it.
     */
    static List<ServiceEntry.Ep> endpoints(List<EndpointSlice> slices, boolean publishNotReady) {
        Map<String, ServiceEntry.Ep> byKey = new LinkedHashMap<>();
        for (EndpointSlice s : sorted(slices)) {
            if (s.getEndpoints() == null || "FQDN".equals(s.getAddressType())) {
                continue;
            }
            for (Endpoint ep : s.getEndpoints()) {
                boolean ready = ep.getConditions() == null || ep.getConditions().getReady() == null
                        || ep.getConditions().getReady();
                if ((!ready && !publishNotReady) || ep.getAddresses() == null) {
                    continue;
                }
                String podNs = ep.getTargetRef() != null && "Pod".equals(ep.getTargetRef().getKind())
                        ? namespaceOf(ep.getTargetRef().getNamespace()) : null;
                for (String text : ep.getAddresses()) {
                    InetAddress ip = Ips.parse(text);
                    if (ip == null) {
                        continue;
                    }
                    String label = ep.getHostname() != null && !ep.getHostname().isEmpty()
                            ? lower(ep.getHostname()) : dashed(ip);
                    byKey.putIfAbsent(label + "|" + ip.getHostAddress(), new ServiceEntry.Ep(label, ip, podNs));
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** The IP as one DNS label: dots or colons become dashes (1-2-3-4, 5678-abcd--1). */
    public static String dashed(InetAddress ip) {
        String text = ip instanceof Inet4Address ? ip.getHostAddress() : Ips.canonical(ip.getHostAddress());
        return text.replace('.', '-').replace(':', '-');
    }

    private static List<EndpointSlice> sorted(List<EndpointSlice> slices) {
        List<EndpointSlice> out = new ArrayList<>(slices);
        out.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        return out;
    }

    private static String protocol(String p) {
        return p == null || p.isEmpty() ? "tcp" : p.toLowerCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
