package dev.turnout.proxy.tracker;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Derived views of the service and endpoint maps that the health-check servers need. */
public final class ProxyMaps {
    private ProxyMaps() {
    }

    /** namespace/name to health-check NodePort, for every Service that has one (upstream HealthCheckNodePorts). */
    public static Map<String, Integer> healthCheckNodePorts(Map<ServicePortName, ServicePort> services) {
        Map<String, Integer> out = new HashMap<>();
        services.forEach((name, port) -> {
            if (port.healthCheckNodePort() != 0) {
                out.put(name.namespacedName(), port.healthCheckNodePort());
            }
        });
        return out;
    }

    /**
     * namespace/name to the number of distinct IPs of ready endpoints on this node (upstream
     * LocalReadyEndpoints: terminating endpoints may serve but must fail the health check; an IP
     * serving two ports counts once).
     */
    public static Map<String, Integer> localReadyEndpoints(Map<ServicePortName, List<Endpoint>> endpoints) {
        Map<String, Set<String>> ips = new HashMap<>();
        endpoints.forEach((name, eps) -> {
            for (Endpoint ep : eps) {
                if (ep.ready() && ep.local()) {
                    ips.computeIfAbsent(name.namespacedName(), k -> new HashSet<>()).add(ep.ip());
                }
            }
        });
        Map<String, Integer> out = new HashMap<>();
        ips.forEach((k, v) -> out.put(k, v.size()));
        return out;
    }
}
