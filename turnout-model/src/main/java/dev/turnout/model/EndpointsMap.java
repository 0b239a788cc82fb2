package dev.turnout.model;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.ForNode;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the EndpointSlices of Services into endpoints per Service port, as kube-proxy's
 * {@code EndpointSliceCache}: slices are matched to their Service by the
 * {@code kubernetes.io/service-name} label, only the proxy's address family counts, an endpoint
 * present in several slices appears once, and each port's list is sorted by {@code ip:port}.
 */
public final class EndpointsMap {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private EndpointsMap() {
    }

    /** The namespace/name of the Service a slice belongs to, or null when it names none. */
    public static String serviceOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return svc == null || svc.isEmpty() ? null : ServicePorts.namespaceOf(slice) + "/" + svc;
    }

    /** Endpoints per Service port from the slices of one Service, for the proxy on {@code nodeName}. */
    public static Map<ServicePortName, List<Endpoint>> of(List<EndpointSlice> slices, IpFamily family, String nodeName) {
        Map<ServicePortName, Map<String, Endpoint>> byPort = new LinkedHashMap<>();
        List<EndpointSlice> ordered = new ArrayList<>(slices);
        ordered.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        for (EndpointSlice slice : ordered) {
            String svc = serviceOf(slice);
            if (svc == null || !family.name().equals(slice.getAddressType()) || slice.getPorts() == null) {
                continue;
            }
            String ns = ServicePorts.namespaceOf(slice);
            String name = svc.substring(ns.length() + 1);
            for (EndpointPort port : slice.getPorts()) {
                if (port.getPort() == null || port.getPort() == 0) {
                    continue;
                }
                ServicePortName spn = new ServicePortName(ns, name, port.getName(), Protocol.parse(port.getProtocol()));
                Map<String, Endpoint> set = byPort.computeIfAbsent(spn, k -> new TreeMap<>());
                addEndpoints(set, slice, port.getPort(), nodeName);
            }
        }
        Map<ServicePortName, List<Endpoint>> out = new LinkedHashMap<>();
        byPort.forEach((spn, set) -> {
            List<Endpoint> list = new ArrayList<>(set.values());
            list.sort(null);
            out.put(spn, List.copyOf(list));
        });
        return out;
    }

    private static void addEndpoints(Map<String, Endpoint> set, EndpointSlice slice, int port, String nodeName) {
        if (slice.getEndpoints() == null) {
            return;
        }
        for (var ep : slice.getEndpoints()) {
            if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
                continue;
            }
            String ip = Ips.canonical(ep.getAddresses().get(0));
            if (ip == null) {
                continue;
            }
            EndpointConditions c = ep.getConditions();
            boolean ready = c == null || c.getReady() == null || c.getReady();
            boolean serving = c == null || c.getServing() == null || c.getServing();
            boolean terminating = c != null && c.getTerminating() != null && c.getTerminating();
            boolean local = ep.getNodeName() != null && ep.getNodeName().equals(nodeName);
            Set<String> zoneHints = new HashSet<>();
            Set<String> nodeHints = new HashSet<>();
            if (ep.getHints() != null) {
                if (ep.getHints().getForZones() != null) {
                    for (ForZone z : ep.getHints().getForZones()) {
                        zoneHints.add(z.getName());
                    }
                }
                if (ep.getHints().getForNodes() != null) {
                    for (ForNode n : ep.getHints().getForNodes()) {
                        nodeHints.add(n.getName());
                    }
                }
            }
            Endpoint e = new Endpoint(ip, port, local, ready, serving, terminating, zoneHints, nodeHints,
                    ep.getNodeName(), ep.getZone());
            // Overlapping slices may repeat an endpoint; a local copy wins, as in kube-proxy.
            if (!set.containsKey(e.toString()) || local) {
                set.put(e.toString(), e);
            }
        }
    }
}
