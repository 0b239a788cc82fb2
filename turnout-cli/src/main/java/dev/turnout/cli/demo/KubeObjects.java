package dev.turnout.cli.demo;

import dev.turnout.lab.Pod;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes objects for lab scenarios, as the API server and the EndpointSlice controller would
 * hold them: a Service with its cluster IP allocated, and the slice listing its pods.
 */
public final class KubeObjects {
    public static final String NAMESPACE = "default";

    private KubeObjects() {
    }

    /** A ClusterIP Service with one named TCP port {@code http} → targetPort. */
    public static ServiceBuilder service(String name, String clusterIp, int port, int targetPort) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(clusterIp)
                .withClusterIPs(clusterIp)
                .withSelector(Map.of("app", name))
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(port)
                        .withTargetPort(new IntOrString(targetPort)).build())
                .endSpec();
    }

    /** The slice of a Service's ready pods for the given port names and numbers (all TCP unless named udp*). */
    public static EndpointSlice slice(String service, List<Pod> pods, Map<String, Integer> ports) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-lab").withNamespace(NAMESPACE)
                .withLabels(Map.of("kubernetes.io/service-name", service,
                        "endpointslice.kubernetes.io/managed-by", "lab.turnout.dev"))
                .endMetadata()
                .withAddressType("IPv4");
        ports.forEach((name, number) -> b.addToPorts(new EndpointPortBuilder().withName(name)
                .withProtocol(name.startsWith("udp") ? "UDP" : "TCP").withPort(number).build()));
        for (Pod p : pods) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(p.ip()).withNodeName(p.node() == null ? null : p.node().name())
                    .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(p.name()).withNamespace(NAMESPACE).endTargetRef()
                    .build());
        }
        return b.build();
    }

    /** A ClusterIP Service with one UDP port {@code udp} → targetPort; its slice port is {@code udp} too. */
    public static ServiceBuilder udpService(String name, String clusterIp, int port, int targetPort) {
        return service(name, clusterIp, port, targetPort).editSpec()
                .withPorts(new ServicePortBuilder().withName("udp").withProtocol("UDP").withPort(port)
                        .withTargetPort(new IntOrString(targetPort)).build())
                .endSpec();
    }

    /** Type NodePort with the (already allocated) node port on every port of the Service. */
    public static Service nodePort(Service svc, int nodePort) {
        ServiceBuilder b = new ServiceBuilder(svc);
        b.editSpec().withType("NodePort").withPorts(svc.getSpec().getPorts().stream()
                .map(p -> new ServicePortBuilder(p).withNodePort(nodePort).build()).toList()).endSpec();
        return b.build();
    }

    /** Type LoadBalancer with a node port and {@code status.loadBalancer.ingress[0].ip} set. */
    public static Service loadBalancer(Service svc, int nodePort, String ingressIp) {
        Service np = nodePort(svc, nodePort);
        np.getSpec().setType("LoadBalancer");
        return withLoadBalancerIp(np, ingressIp);
    }

    public static Service externalIps(Service svc, String... ips) {
        return new ServiceBuilder(svc).editSpec().withExternalIPs(ips).endSpec().build();
    }

    /** {@code sessionAffinity: ClientIP} with upstream's default timeout (3 hours). */
    public static Service clientIpAffinity(Service svc) {
        return new ServiceBuilder(svc).editSpec().withSessionAffinity("ClientIP").endSpec().build();
    }

    /** {@code externalTrafficPolicy: Local}; LoadBalancers also get the allocated health check node port. */
    public static Service externalTrafficLocal(Service svc, int healthCheckNodePort) {
        ServiceBuilder b = new ServiceBuilder(svc);
        b.editSpec().withExternalTrafficPolicy("Local").endSpec();
        if ("LoadBalancer".equals(svc.getSpec().getType())) {
            b.editSpec().withHealthCheckNodePort(healthCheckNodePort).endSpec();
        }
        return b.build();
    }

    /** {@code internalTrafficPolicy: Local}: cluster IP traffic only to endpoints on the sender's node. */
    public static Service internalTrafficLocal(Service svc) {
        return new ServiceBuilder(svc).editSpec().withInternalTrafficPolicy("Local").endSpec().build();
    }

    public static Service loadBalancerSourceRanges(Service svc, String... cidrs) {
        return new ServiceBuilder(svc).editSpec().withLoadBalancerSourceRanges(cidrs).endSpec().build();
    }

    public static EndpointSlice slice(String service, List<Pod> pods, int port) {
        return slice(service, pods, Map.of("http", port));
    }

    public static Node node(String name, String ip) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus()
                .build();
    }

    /** Sets {@code status.loadBalancer.ingress} as a cloud provider's controller would. */
    public static Service withLoadBalancerIp(Service svc, String ip) {
        return new ServiceBuilder(svc).withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).endIngress()
                .endLoadBalancer().endStatus().build();
    }
}
