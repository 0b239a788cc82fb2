package dev.turnout.cli.e2e;

import static dev.turnout.cli.e2e.E2eAssertions.counts;
import static dev.turnout.cli.e2e.E2eAssertions.host;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netexec.DialResult;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * externalTrafficPolicy (and internalTrafficPolicy), once per mode (the subclasses), on a two-node lab with two netexec pods per node; the outside client
 * talks to each node's NodePort directly over the underlay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExternalTrafficPolicyScenarios {
    /** The {@code --mode} under test. */
    abstract String mode();

    private boolean has(String rules, String marker) {
        return RuleMarkers.has(mode(), rules, marker);
    }

    private ServiceLab lab;
    private LabNode node1;
    private LabNode node2;
    private List<Pod> onNode1;
    private List<Pod> onNode2;
    private List<Pod> all;
    private Pod client1;
    private Pod client2;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(2);
        node1 = lab.node(1);
        node2 = lab.node(2);
        onNode1 = lab.backends(node1, "n1-a", "n1-b");
        onNode2 = lab.backends(node2, "n2-a", "n2-b");
        all = new ArrayList<>(onNode1);
        all.addAll(onNode2);
        client1 = lab.network().addPod("client-1", node1);
        client2 = lab.network().addPod("client-2", node2);
        lab.startProxies(mode(), List.of());
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private List<String> fromOutside(LabNode node, int nodePort, String path, int count) {
        return lab.network().httpBodies(lab.network().clientNamespace(), node.ip(), nodePort, path, count);
    }

    @Test
    void localPolicyServesOnlyTheNodesOwnPodsAndKeepsTheClientIp() throws Exception {
        Service svc = KubeObjects.externalTrafficLocal(
                KubeObjects.nodePort(KubeObjects.service("local", "10.96.1.10", 80, 8080).build(), 30090), 0);
        lab.apply(svc, KubeObjects.slice("local", all, 8080));
        lab.awaitRules("default/local:http cluster IP", r -> has(r, "default/local:http cluster IP"));

        List<String> viaNode1 = fromOutside(node1, 30090, "/hostname", 60);
        List<String> viaNode2 = fromOutside(node2, 30090, "/hostname", 60);
        List<String> sources = fromOutside(node1, 30090, "/clientip", 10);

        assertThat(counts(viaNode1)).as("via node1").containsOnlyKeys("n1-a", "n1-b");
        assertThat(counts(viaNode2)).as("via node2").containsOnlyKeys("n2-a", "n2-b");
        assertThat(sources).allSatisfy(s -> assertThat(host(s)).isEqualTo(lab.network().clientIp()));
    }

    @Test
    void clusterPolicySpreadsOverBothNodesWithTheSourceMasqueradedToTheNode() throws Exception {
        Service svc = KubeObjects.nodePort(KubeObjects.service("cluster", "10.96.1.11", 80, 8080).build(), 30091);
        lab.apply(svc, KubeObjects.slice("cluster", all, 8080));
        lab.awaitRules("default/cluster:http cluster IP", r -> has(r, "default/cluster:http cluster IP"));

        List<String> names = fromOutside(node1, 30091, "/hostname", 80);
        List<String> sources = fromOutside(node1, 30091, "/clientip", 20);

        assertThat(counts(names)).containsOnlyKeys("n1-a", "n1-b", "n2-a", "n2-b");
        assertThat(sources).allSatisfy(s -> assertThat(host(s)).isEqualTo(node1.ip()));
    }

    @Test
    void localPolicyOnANodeWithoutLocalEndpointsDropsExternalTraffic() throws Exception {
        Service svc = KubeObjects.externalTrafficLocal(
                KubeObjects.nodePort(KubeObjects.service("far", "10.96.1.12", 80, 8080).build(), 30092), 0);
        lab.apply(svc, KubeObjects.slice("far", onNode2, 8080));
        lab.awaitRules("default/far:http cluster IP", r -> has(r, "default/far:http cluster IP"));

        List<DialResult> viaNode1 = lab.network().traffic()
                .http(lab.network().clientNamespace(), node1.ip(), 30092, "/hostname", 3);
        List<String> viaNode2 = fromOutside(node2, 30092, "/hostname", 20);

        assertThat(viaNode1).as("node1 has no endpoint of far")
                .allSatisfy(r -> assertThat(r.error()).containsIgnoringCase("timed out"));
        assertThat(counts(viaNode2)).containsOnlyKeys("n2-a", "n2-b");
    }

    @Test
    void podsAndTheNodeItselfReachALocalPolicyNodePortWithoutLocalEndpoints() throws Exception {
        Service svc = KubeObjects.externalTrafficLocal(
                KubeObjects.nodePort(KubeObjects.service("far-inside", "10.96.1.17", 80, 8080).build(), 30095), 0);
        lab.apply(svc, KubeObjects.slice("far-inside", onNode2, 8080));
        lab.awaitRules("default/far-inside:http cluster IP", r -> has(r, "default/far-inside:http cluster IP"));

        List<String> fromPod = lab.network().httpBodies(client1.namespace(), node1.ip(), 30095, "/hostname", 20);
        List<String> fromNode = lab.network().httpBodies(node1.namespace(), node1.ip(), 30095, "/hostname", 20);

        assertThat(counts(fromPod)).as("pod on node1 -> node1:nodePort").containsOnlyKeys("n2-a", "n2-b");
        assertThat(counts(fromNode)).as("node1 -> its own nodePort").containsOnlyKeys("n2-a", "n2-b");
    }

    @Test
    void podTrafficToALocalPolicyLoadBalancerIpIsNotBoundByThePolicy() throws Exception {
        Service svc = KubeObjects.externalTrafficLocal(KubeObjects.loadBalancer(
                KubeObjects.service("lb-local", "10.96.1.13", 80, 8080).build(), 30093, "203.0.113.50"), 32093);
        lab.apply(svc, KubeObjects.slice("lb-local", all, 8080));
        lab.awaitRules("default/lb-local:http loadbalancer IP", r -> has(r, "default/lb-local:http loadbalancer IP"));

        List<String> fromPod = lab.network().httpBodies(client1.namespace(), "203.0.113.50", 80, "/hostname", 80);
        List<String> fromOutside = lab.network().httpBodies(lab.network().clientNamespace(), "203.0.113.50", 80,
                "/hostname", 40);

        assertThat(counts(fromPod)).as("from a pod on node1").containsOnlyKeys("n1-a", "n1-b", "n2-a", "n2-b");
        assertThat(counts(fromOutside)).as("from outside, via node1").containsOnlyKeys("n1-a", "n1-b");
    }

    @Test
    void internalLocalPolicyKeepsPodTrafficOnItsNodeAndDropsItWhereThereIsNoEndpoint() throws Exception {
        Service everywhere = KubeObjects.internalTrafficLocal(KubeObjects.service("itp", "10.96.1.14", 80, 8080).build());
        Service onlyNode2 = KubeObjects.internalTrafficLocal(KubeObjects.service("itp-far", "10.96.1.15", 80, 8080).build());
        lab.apply(everywhere, KubeObjects.slice("itp", all, 8080), onlyNode2, KubeObjects.slice("itp-far", onNode2, 8080));
        lab.awaitRules("itp and itp-far", r -> has(r, "default/itp:http cluster IP")
                && has(r, "default/itp-far:http"));

        List<String> fromNode1 = lab.network().httpBodies(client1.namespace(), "10.96.1.14", 80, "/hostname", 40);
        List<String> fromNode2 = lab.network().httpBodies(client2.namespace(), "10.96.1.14", 80, "/hostname", 40);
        List<DialResult> farFromNode1 = lab.network().traffic().http(client1.namespace(), "10.96.1.15", 80, "/hostname", 3);
        List<String> farFromNode2 = lab.network().httpBodies(client2.namespace(), "10.96.1.15", 80, "/hostname", 20);

        assertThat(counts(fromNode1)).as("from node1").containsOnlyKeys("n1-a", "n1-b");
        assertThat(counts(fromNode2)).as("from node2").containsOnlyKeys("n2-a", "n2-b");
        assertThat(farFromNode1).allSatisfy(r -> assertThat(r.error()).containsIgnoringCase("timed out"));
        assertThat(counts(farFromNode2)).containsOnlyKeys("n2-a", "n2-b");
    }

    @Test
    void healthCheckNodePortReportsWhetherTheNodeHasLocalEndpoints() throws Exception {
        Service svc = KubeObjects.externalTrafficLocal(KubeObjects.loadBalancer(
                KubeObjects.service("lb-far", "10.96.1.16", 80, 8080).build(), 30094, "203.0.113.51"), 32094);
        lab.apply(svc, KubeObjects.slice("lb-far", onNode2, 8080));
        lab.awaitRules("default/lb-far:http loadbalancer IP", r -> has(r, "default/lb-far:http loadbalancer IP"));

        DialResult node1Health = health(node1, 32094);
        DialResult node2Health = health(node2, 32094);

        assertThat(node1Health.status()).as("%s", node1Health).isEqualTo(503);
        assertThat(node1Health.body()).contains("\"localEndpoints\": 0");
        assertThat(node2Health.status()).as("%s", node2Health).isEqualTo(200);
        assertThat(node2Health.body()).contains("\"localEndpoints\": 2");
    }

    /** The health check as a cloud load balancer does it: from outside, to the node's health check port. */
    private DialResult health(LabNode node, int port) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        DialResult r;
        do {
            // the server opens right after the sync that wrote the rules; give it that moment
            r = lab.network().traffic().http(lab.network().clientNamespace(), node.ip(), port, "/healthz", 1).get(0);
        } while (!r.ok() && System.nanoTime() < deadline);
        return r;
    }
}
