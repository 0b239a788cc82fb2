package dev.turnout.proxy;

import dev.turnout.model.Endpoint;
import dev.turnout.model.EndpointsMap;
import dev.turnout.model.IpFamily;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.model.ServicePorts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a whole {@link ProxyState} at once from objects, for one-shot uses (printing rules, benchmarks). */
public final class ProxyStates {
    private ProxyStates() {
    }

    public static ProxyState of(List<Service> services, List<EndpointSlice> slices, List<Node> nodes, IpFamily family,
            String nodeName) {
        Map<ServicePortName, ServicePort> ports = new HashMap<>();
        for (Service s : services) {
            ports.putAll(ServicePorts.of(s, family));
        }
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            String svc = EndpointsMap.serviceOf(slice);
            if (svc != null) {
                byService.computeIfAbsent(svc, k -> new ArrayList<>()).add(slice);
            }
        }
        Map<ServicePortName, List<Endpoint>> endpoints = new HashMap<>();
        byService.values().forEach(list -> endpoints.putAll(EndpointsMap.of(list, family, nodeName)));
        return new ProxyState(ports, endpoints, nodeInfo(nodes, nodeName));
    }

    /** The named node's labels and addresses, or null when the objects do not include it. */
    public static NodeInfo nodeInfo(List<Node> nodes, String nodeName) {
        for (Node n : nodes) {
            if (n.getMetadata().getName().equals(nodeName)) {
                List<String> addrs = new ArrayList<>();
                if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
                    for (NodeAddress a : n.getStatus().getAddresses()) {
                        addrs.add(a.getAddress());
                    }
                }
                return new NodeInfo(nodeName, n.getMetadata().getLabels(), addrs);
            }
        }
        return null;
    }
}
