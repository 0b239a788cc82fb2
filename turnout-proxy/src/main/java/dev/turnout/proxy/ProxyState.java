package dev.turnout.proxy;

import dev.turnout.model.Endpoint;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole desired state a proxy programs, immutable: every Service port and its endpoints, plus
 * this proxy's own Node (null when not known). Maps are sorted by service port name, so that
 * compiled rulesets come out in one stable order.
 */
public record ProxyState(
        Map<ServicePortName, ServicePort> services,
        Map<ServicePortName, List<Endpoint>> endpoints,
        NodeInfo node) {

    public ProxyState {
        // navigable underneath, so that the ports of one Service can be looked up by range
        services = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(services));
        TreeMap<ServicePortName, List<Endpoint>> eps = new TreeMap<>();
        endpoints.forEach((k, v) -> eps.put(k, List.copyOf(v)));
        endpoints = java.util.Collections.unmodifiableMap(eps);
    }

    public static final ProxyState EMPTY = new ProxyState(Map.of(), Map.of(), null);

    /** The endpoints of one Service port; empty when it has none. */
    public List<Endpoint> endpointsOf(ServicePortName name) {
        return endpoints.getOrDefault(name, List.of());
    }
}
