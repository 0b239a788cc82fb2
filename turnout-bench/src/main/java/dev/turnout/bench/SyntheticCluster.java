package dev.turnout.bench;

import dev.turnout.model.Endpoint;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxyState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of a given size made up for benchmarks: {@code services} Services of one TCP port each,
 * {@code endpointsPerService} ready endpoints each; every tenth Service is a NodePort and every
 * hundredth a LoadBalancer, so the compiler walks all its paths.
 */
public final class SyntheticCluster {
    private SyntheticCluster() {
    }

    public static ProxyState of(int services, int endpointsPerService) {
        Map<ServicePortName, ServicePort> ports = new HashMap<>();
        Map<ServicePortName, List<Endpoint>> endpoints = new HashMap<>();
        for (int i = 0; i < services; i++) {
            ServicePortName name = name(i);
            ServicePort.Builder b = ServicePort.builder(name).clusterIp(ip(96, i)).port(80);
            if (i % 10 == 0) {
                b.nodePort(30000 + i % 2768);
            }
            if (i % 100 == 0) {
                b.loadBalancerVips(List.of("203.0." + (i / 100 / 256 % 256) + "." + (i / 100 % 256)));
            }
            ports.put(name, b.build());
            List<Endpoint> eps = new ArrayList<>();
            for (int e = 0; e < endpointsPerService; e++) {
                eps.add(Endpoint.ready(ip(244, i * endpointsPerService + e), 8080));
            }
            endpoints.put(name, eps);
        }
        return new ProxyState(ports, endpoints, null);
    }

    /** The same cluster with the first endpoint of Service {@code index} moved to a new pod IP. */
    public static ProxyState withOneEndpointChanged(ProxyState state, int index) {
        Map<ServicePortName, List<Endpoint>> endpoints = new HashMap<>(state.endpoints());
        ServicePortName name = name(index);
        List<Endpoint> eps = new ArrayList<>(endpoints.get(name));
        eps.set(0, Endpoint.ready("10.250.0.1", 8080));
        endpoints.put(name, eps);
        return new ProxyState(state.services(), endpoints, null);
    }

    public static ServicePortName name(int i) {
        return new ServicePortName("bench", "svc-" + i, "http", Protocol.TCP);
    }

    /** 10.{second}.x.y for a running index, skipping .0 and .255 host bytes. */
    private static String ip(int second, int n) {
        int host = n % 254 + 1;
        int third = n / 254;
        return "10." + (second + third / 256) + "." + (third % 256) + "." + host;
    }
}
