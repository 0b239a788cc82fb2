package dev.turnout.proxy.iptables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxyState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a ProxyState for tests: Service ports with their endpoints, and the node. */
public final class StateBuilder {
    private final Map<ServicePortName, ServicePort> services = new HashMap<>();
    private final Map<ServicePortName, List<Endpoint>> endpoints = new HashMap<>();
    private NodeInfo node;

    public StateBuilder add(ServicePort.Builder svc, Endpoint... eps) {
        ServicePort p = svc.build();
        services.put(p.name(), p);
        if (eps.length > 0) {
            endpoints.put(p.name(), List.of(eps));
        }
        return this;
    }

    public StateBuilder remove(String namespacedName) {
        services.keySet().removeIf(n -> n.namespacedName().equals(namespacedName));
        endpoints.keySet().removeIf(n -> n.namespacedName().equals(namespacedName));
        return this;
    }

    public StateBuilder endpoints(String ns, String name, String port, dev.turnout.model.Protocol proto, Endpoint... eps) {
        endpoints.put(new ServicePortName(ns, name, port, proto), List.of(eps));
        return this;
    }

    public StateBuilder zone(String zone) {
        node = new NodeInfo(dev.turnout.model.fixtures.Fixtures.NODE, Map.of(NodeInfo.ZONE_LABEL, zone), List.of());
        return this;
    }

    public ProxyState build() {
        return new ProxyState(services, endpoints, node);
    }
}
