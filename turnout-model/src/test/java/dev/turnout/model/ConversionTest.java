package dev.turnout.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Services and EndpointSlices become ports and endpoints as kube-proxy converts them. */
class ConversionTest {
    private static Service service(String specYaml) {
        return Serialization.unmarshal("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\nspec:\n"
                + specYaml.indent(2), Service.class);
    }

    private static ServicePort only(Service s) {
        Map<ServicePortName, ServicePort> ports = ServicePorts.of(s, IpFamily.IPv4);
        assertThat(ports).hasSize(1);
        return ports.values().iterator().next();
    }

    @Test
    void headlessAndExternalNameServicesHaveNoPorts() {
        assertThat(ServicePorts.of(service("clusterIP: None\nports: [{port: 80}]"), IpFamily.IPv4)).isEmpty();
        assertThat(ServicePorts.of(service("type: ExternalName\nexternalName: example.com\nports: [{port: 80}]"),
                IpFamily.IPv4)).isEmpty();
        assertThat(ServicePorts.of(service("ports: [{port: 80}]"), IpFamily.IPv4)).as("no cluster IP yet").isEmpty();
    }

    @Test
    void portNamePrintsAsNamespaceNameAndPort() {
        var ports = ServicePorts.of(service("clusterIP: 10.0.0.1\nports: [{name: http, port: 80}, {name: dns, port: 53, protocol: UDP}]"),
                IpFamily.IPv4);
        assertThat(ports.keySet()).extracting(ServicePortName::toString).containsExactly("ns/s:http", "ns/s:dns");
        assertThat(ports.values()).extracting(ServicePort::protocol).containsExactly(Protocol.TCP, Protocol.UDP);
    }

    @Test
    void externalTrafficPolicyLocalAppliesToExternallyReachableServicesOnly() {
        assertThat(only(service("type: NodePort\nclusterIP: 10.0.0.1\nexternalTrafficPolicy: Local\nports: [{port: 80, nodePort: 30001}]"))
                .externalPolicyLocal()).isTrue();
        assertThat(only(service("clusterIP: 10.0.0.1\nexternalTrafficPolicy: Local\nports: [{port: 80}]"))
                .externalPolicyLocal()).isFalse();
        assertThat(only(service("clusterIP: 10.0.0.1\nexternalIPs: [192.0.2.1]\nexternalTrafficPolicy: Local\nports: [{port: 80}]"))
                .externalPolicyLocal()).isTrue();
    }

    @Test
    void healthCheckNodePortOnlyForLocalLoadBalancers() {
        String lb = "type: LoadBalancer\nclusterIP: 10.0.0.1\nhealthCheckNodePort: 32000\nports: [{port: 80, nodePort: 30001}]";
        assertThat(only(service(lb + "\nexternalTrafficPolicy: Local")).healthCheckNodePort()).isEqualTo(32000);
        assertThat(only(service(lb + "\nexternalTrafficPolicy: Cluster")).healthCheckNodePort()).isZero();
    }

    @Test
    void addressesOfTheOtherFamilyOrInvalidOnesAreSkipped() {
        Service s = service("clusterIP: 10.0.0.1\nexternalIPs: [192.0.2.1, 'fd00::1', not-an-ip, ' 192.0.2.2 ']\n"
                + "loadBalancerSourceRanges: [203.0.113.7/24, 'fd00::/64', bogus]\nports: [{port: 80}]");
        ServicePort p = only(s);
        assertThat(p.externalIps()).containsExactly("192.0.2.1", "192.0.2.2");
        assertThat(p.loadBalancerSourceRanges()).containsExactly("203.0.113.0/24");
    }

    @Test
    void loadBalancerIngressInProxyModeIsNotProgrammed() {
        Service s = service("type: LoadBalancer\nclusterIP: 10.0.0.1\nports: [{port: 80, nodePort: 30001}]");
        s.setStatus(Serialization.unmarshal("loadBalancer: {ingress: [{ip: 203.0.113.1}, {ip: 203.0.113.2, ipMode: Proxy}, {hostname: lb.example}]}",
                io.fabric8.kubernetes.api.model.ServiceStatus.class));
        assertThat(only(s).loadBalancerVips()).containsExactly("203.0.113.1");
    }

    @Test
    void clientIpAffinityDefaultsToThreeHours() {
        assertThat(only(service("clusterIP: 10.0.0.1\nsessionAffinity: ClientIP\nports: [{port: 80}]")).sessionAffinity())
                .isEqualTo(SessionAffinity.clientIp(10800));
        assertThat(only(service("clusterIP: 10.0.0.1\nsessionAffinity: ClientIP\nsessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\nports: [{port: 80}]"))
                .sessionAffinity()).isEqualTo(SessionAffinity.clientIp(60));
    }

    private static EndpointSlice slice(String name, String addressType, String endpointsYaml) {
        return Serialization.unmarshal("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: " + name
                + ", namespace: ns, labels: {kubernetes.io/service-name: s}}\naddressType: " + addressType
                + "\nports: [{name: http, port: 8080}]\nendpoints:\n" + endpointsYaml.indent(2), EndpointSlice.class);
    }

    @Test
    void endpointConditionsAndLocalityFollowTheSlice() {
        EndpointSlice a = slice("a", "IPv4", """
                - {addresses: [10.1.0.10], conditions: {ready: true}, nodeName: me}
                - {addresses: [10.1.0.2], conditions: {ready: false, serving: true, terminating: true}, nodeName: other}
                - {addresses: [10.1.0.3]}
                """);
        var map = EndpointsMap.of(List.of(a), IpFamily.IPv4, "me");
        List<Endpoint> eps = map.get(new ServicePortName("ns", "s", "http", Protocol.TCP));
        assertThat(eps).extracting(Endpoint::toString).as("sorted as strings, like kube-proxy")
                .containsExactly("10.1.0.10:8080", "10.1.0.2:8080", "10.1.0.3:8080");
        assertThat(eps.get(0).local()).isTrue();
        assertThat(eps.get(1)).extracting(Endpoint::ready, Endpoint::serving, Endpoint::terminating)
                .containsExactly(false, true, true);
        assertThat(eps.get(2)).as("absent conditions mean ready and serving")
                .extracting(Endpoint::ready, Endpoint::serving, Endpoint::terminating).containsExactly(true, true, false);
    }

    @Test
    void overlappingSlicesYieldOneEndpointAndOtherFamiliesAreIgnored() {
        EndpointSlice a = slice("a", "IPv4", "- {addresses: [10.1.0.1], nodeName: other}");
        EndpointSlice b = slice("b", "IPv4", "- {addresses: [10.1.0.1], nodeName: me}");
        EndpointSlice v6 = slice("c", "IPv6", "- {addresses: ['fd00::1']}");
        EndpointSlice unlabelled = slice("d", "IPv4", "- {addresses: [10.1.0.9]}");
        unlabelled.getMetadata().setLabels(Map.of());
        var eps = EndpointsMap.of(List.of(a, b, v6, unlabelled), IpFamily.IPv4, "me")
                .get(new ServicePortName("ns", "s", "http", Protocol.TCP));
        assertThat(eps).hasSize(1);
        assertThat(eps.get(0).local()).isTrue();
    }
}
