package dev.turnout.cli.demo;

import dev.turnout.lab.Pod;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/**
 * The seed write-up's example: {@code example-svc}, a LoadBalancer Service on port 80 with NodePort
 * 30928, over three pods serving on 8080. Its addresses echo the seed's (cluster IP
 * 10.31.251.56 becomes 10.96.251.56 in our service range; the cloud's public 35.185.145.186 becomes
 * 203.0.113.186 from the documentation range).
 */
public final class SeedScenario {
    public static final String SERVICE = "example-svc";
    public static final String CLUSTER_IP = "10.96.251.56";
    public static final String EXTERNAL_IP = "203.0.113.186";
    public static final int PORT = 80;
    public static final int TARGET_PORT = 8080;
    public static final int NODE_PORT = 30928;
    public static final List<String> POD_NAMES = List.of("example-pod-1", "example-pod-2", "example-pod-3");

    private SeedScenario() {
    }

    public static Service service() {
        Service svc = KubeObjects.service(SERVICE, CLUSTER_IP, PORT, TARGET_PORT)
                .editSpec().withType("LoadBalancer").editFirstPort().withNodePort(NODE_PORT).endPort()
                .withExternalTrafficPolicy("Cluster").endSpec()
                .build();
        return KubeObjects.withLoadBalancerIp(svc, EXTERNAL_IP);
    }

    /** The Service and the EndpointSlice of its pods. */
    public static List<HasMetadata> objects(List<Pod> pods) {
        return List.of(service(), KubeObjects.slice(SERVICE, pods, TARGET_PORT));
    }
}
