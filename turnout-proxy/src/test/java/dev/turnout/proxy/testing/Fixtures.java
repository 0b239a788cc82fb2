package dev.turnout.proxy.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Small fabric8 objects for tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A ClusterIP Service with one port named "p". */
    public static Service service(String ns, String name, String clusterIp, int port, String protocol) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .addNewPort().withName("p").withPort(port).withProtocol(protocol).endPort()
                .endSpec().build();
    }

    /** A NodePort Service with one port named "p". */
    public static Service nodePortService(String ns, String name, String clusterIp, int port, String protocol,
            int nodePort) {
        return new ServiceBuilder(service(ns, name, clusterIp, port, protocol))
                .editSpec().withType("NodePort").editFirstPort().withNodePort(nodePort).endPort().endSpec().build();
    }

    public static Endpoint endpoint(String ip, boolean ready, boolean serving, boolean terminating, String node) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .build();
    }

    public static Endpoint ready(String ip) {
        return endpoint(ip, true, true, false, "other");
    }

    /** An IPv4 slice of Service ns/svc with port "p". */
    public static EndpointSlice slice(String ns, String svc, String name, int port, String protocol,
            List<Endpoint> endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", svc)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("p").withPort(port).withProtocol(protocol).endPort()
                .withEndpoints(endpoints)
                .build();
    }

    public static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }
}
