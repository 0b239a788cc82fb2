package dev.turnout.dns.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
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
 * The objects of CoreDNS's kubernetes handler tests (namespace testns), as Services and
 * EndpointSlices, plus not-ready and publishNotReadyAddresses cases.
 */
public final class TestCluster {
    public static final String NS = "testns";

    private TestCluster() {
    }

    public static DnsIndex index() {
        DnsIndex index = new DnsIndex(() -> 1499347823L);
        var svcs = index.serviceHandler();
        var slices = index.sliceHandler();
        services().forEach(svcs::onAdd);
        slices().forEach(slices::onAdd);
        svcs.onSynced();
        slices.onSynced();
        return index;
    }

    public static List<Service> services() {
        return List.of(
                clusterIp("svc1", List.of("10.0.0.1"), "http", 80),
                clusterIp("svcempty", List.of("10.0.0.1"), "http", 80),
                clusterIp("svc6", List.of("1234:abcd::1"), "http", 80),
                clusterIp("svc-dual-stack", List.of("10.0.0.3", "10::3"), "http", 80),
                clusterIp("svc-two-ports", List.of("10.0.0.4"), "http", 80)
                        .edit().editSpec().addToPorts(new ServicePortBuilder().withName("dns").withProtocol("UDP")
                                .withPort(53).build()).endSpec().build(),
                headless("hdls1", false),
                headless("hdlsprtls", false),
                headless("notready", false),
                headless("publishnotready", true),
                headless("empty-headless", false),
                headless("allnotready", false),
                external("external", "ext.interwebs.test"),
                external("external-to-service", "svc1.testns.svc.cluster.local"));
    }

    public static List<EndpointSlice> slices() {
        return List.of(
                slice("hdls1-v4", "hdls1", "IPv4", Map.of("http", 80),
                        ep("172.0.0.2", null, true), ep("172.0.0.3", null, true),
                        ep("172.0.0.4", "dup-name", true), ep("172.0.0.5", "dup-name", true)),
                slice("hdls1-v6", "hdls1", "IPv6", Map.of("http", 80),
                        ep("5678:abcd::1", null, true), ep("5678:abcd::2", null, true)),
                slice("hdlsprtls", "hdlsprtls", "IPv4", Map.of(), ep("172.0.0.20", null, true)),
                slice("notready", "notready", "IPv4", Map.of("http", 80),
                        ep("172.0.1.1", null, true), ep("172.0.1.2", null, false)),
                slice("publishnotready", "publishnotready", "IPv4", Map.of("http", 80),
                        ep("172.0.2.1", null, true), ep("172.0.2.2", null, false)),
                slice("allnotready", "allnotready", "IPv4", Map.of("http", 80), ep("172.0.4.1", null, false)),
                slice("svc1", "svc1", "IPv4", Map.of("http", 80), ep("172.0.3.1", null, true)));
    }

    static Service clusterIp(String name, List<String> ips, String portName, int port) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ips.get(0)).withClusterIPs(ips)
                .withPorts(new ServicePortBuilder().withName(portName).withProtocol("TCP").withPort(port)
                        .withTargetPort(new IntOrString(port)).build())
                .endSpec().build();
    }

    static Service headless(String name, boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("None").withClusterIPs("None")
                .withPublishNotReadyAddresses(publishNotReady ? true : null)
                .endSpec().build();
    }

    static Service external(String name, String target) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName(target).endSpec().build();
    }

    record Ep(String ip, String hostname, boolean ready) {
    }

    static Ep ep(String ip, String hostname, boolean ready) {
        return new Ep(ip, hostname, ready);
    }

    static EndpointSlice slice(String name, String service, String family, Map<String, Integer> ports, Ep... eps) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata().withAddressType(family);
        ports.forEach((n, p) -> b.addToPorts(new EndpointPortBuilder().withName(n).withProtocol("TCP").withPort(p).build()));
        for (Ep e : eps) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(e.ip()).withHostname(e.hostname())
                    .withNewConditions().withReady(e.ready()).endConditions()
                    .withNewTargetRef().withKind("Pod").withNamespace(NS).withName("pod-" + e.ip().replace(':', '-'))
                    .endTargetRef().build());
        }
        return b.build();
    }
}
