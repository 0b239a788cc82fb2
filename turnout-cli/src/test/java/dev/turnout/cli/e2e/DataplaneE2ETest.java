package dev.turnout.cli.e2e;

import static dev.turnout.cli.e2e.E2eAssertions.assertSpreadUniformly;
import static dev.turnout.cli.e2e.E2eAssertions.counts;
import static dev.turnout.cli.e2e.E2eAssertions.host;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.LabTraffic;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netexec.DialResult;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHintsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A dataplane end to end, once per mode (the subclasses): {@code turnout proxy --mode MODE} runs in
 * the node namespace, follows a manifests directory, programs the node's kernel, and real packets
 * from pods and from the outside client cross those rules to netexec pods. One lab for the class;
 * every test has its own Service (name, cluster IP, node port, external address), so tests do not
 * see each other's rules. Waits name what they wait for in iptables terms ("ns/svc:port cluster
 * IP", "... -> ip:port", "... has no endpoints"); {@link RuleMarkers} finds the same in nft's listing,
 * and userspace mode, which has no rules, answers them from its proxy log ({@link #awaitRules}).
 * What a mode cannot do by design ({@link Feature}) is skipped there with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DataplaneE2ETest {
    /** The {@code --mode} under test. */
    abstract String mode();

    /** Whether the rules (as {@link ServiceLab#savedRules} prints them) show {@code marker}. */
    boolean has(String rules, String marker) {
        return RuleMarkers.has(mode(), rules, marker);
    }

    /** Extra {@code turnout proxy} arguments for this mode. */
    List<String> proxyArgs() {
        return List.of();
    }

    /** What a mode may not do by design; a scenario needing it is skipped there, with the reason. */
    enum Feature {
        /** Packets keep the client's source address, so loadBalancerSourceRanges can filter on it. */
        SOURCE_RANGES,
        /** Flows are conntrack entries the proxy clears when their endpoint goes. */
        CONNTRACK
    }

    /** Whether this mode honours {@code feature}; true unless a subclass says otherwise. */
    boolean supports(Feature feature) {
        return true;
    }

    /**
     * Waits until the node's dataplane state satisfies {@code ready}: by default the saved rules;
     * a mode without rules overrides this with a listing in the same iptables terms.
     */
    void awaitRules(String what, java.util.function.Predicate<String> ready) {
        lab.awaitRules(what, ready);
    }

    private void awaitRulesContaining(String marker) {
        awaitRules("\"" + marker + "\"", r -> has(r, marker));
    }

    /** A second address in the client namespace, outside every loadBalancerSourceRanges below. */
    private static final String OTHER_CLIENT_IP = "192.168.77.101";

    ServiceLab lab;
    LabNode node;
    List<Pod> web;
    Pod client;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(1);
        node = lab.node(1);
        web = lab.backends(node, "web-1", "web-2", "web-3");
        client = lab.network().addPod("client", node);
        lab.network().exec(lab.network().clientNamespace(), "ip", "addr", "add", OTHER_CLIENT_IP + "/24", "dev", "eth0")
                .orThrow();
        lab.startProxies(mode(), proxyArgs());
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private String outside() {
        return lab.network().clientNamespace();
    }

    @Test
    void clusterIpFromAPodSpreadsOverThreeEndpoints() throws Exception {
        Service svc = KubeObjects.service("web", "10.96.0.10", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("web", web, 8080));
        awaitRulesContaining("default/web:http cluster IP");

        List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.10", 80, "/hostname", 300);

        assertSpreadUniformly(bodies, "web-1", "web-2", "web-3");
    }

    @Test
    void udpClusterIpFromAPodIsAnsweredByAllThreeEndpoints() throws Exception {
        Service svc = KubeObjects.udpService("dns", "10.96.0.11", 53, 8081).build();
        lab.apply(svc, KubeObjects.slice("dns", web, Map.of("udp", 8081)));
        awaitRulesContaining("default/dns:udp cluster IP");

        List<String> bodies = lab.network().udpBodies(client.namespace(), "10.96.0.11", 53, "hostname", 300);

        assertSpreadUniformly(bodies, "web-1", "web-2", "web-3");
    }

    @Test
    void nodePortFromTheOutsideClientSpreadsOverThreeEndpoints() throws Exception {
        Service svc = KubeObjects.nodePort(KubeObjects.service("web-np", "10.96.0.12", 80, 8080).build(), 30080);
        lab.apply(svc, KubeObjects.slice("web-np", web, 8080));
        awaitRulesContaining("default/web-np:http cluster IP");

        List<String> bodies = lab.network().httpBodies(outside(), node.ip(), 30080, "/hostname", 300);

        assertSpreadUniformly(bodies, "web-1", "web-2", "web-3");
    }

    @Test
    void loadBalancerIpFromTheOutsideClientSpreadsOverThreeEndpoints() throws Exception {
        Service svc = KubeObjects.loadBalancer(KubeObjects.service("web-lb", "10.96.0.13", 80, 8080).build(), 30081,
                "203.0.113.10");
        lab.apply(svc, KubeObjects.slice("web-lb", web, 8080));
        awaitRulesContaining("default/web-lb:http loadbalancer IP");

        List<String> bodies = lab.network().httpBodies(outside(), "203.0.113.10", 80, "/hostname", 300);

        assertSpreadUniformly(bodies, "web-1", "web-2", "web-3");
    }

    @Test
    void externalIpFromTheOutsideClientReachesTheEndpoints() throws Exception {
        Service svc = KubeObjects.externalIps(KubeObjects.service("web-ext", "10.96.0.14", 80, 8080).build(),
                "203.0.113.20");
        lab.apply(svc, KubeObjects.slice("web-ext", web, 8080));
        awaitRulesContaining("default/web-ext:http external IP");

        List<String> bodies = lab.network().httpBodies(outside(), "203.0.113.20", 80, "/hostname", 60);

        assertThat(counts(bodies)).containsOnlyKeys("web-1", "web-2", "web-3");
    }

    @Test
    void clientIpAffinityPinsAClientToOnePodWhileWithoutAffinityRequestsSpread() throws Exception {
        Service sticky = KubeObjects.clientIpAffinity(KubeObjects.service("sticky", "10.96.0.15", 80, 8080).build());
        Service loose = KubeObjects.service("loose", "10.96.0.16", 80, 8080).build();
        lab.apply(sticky, KubeObjects.slice("sticky", web, 8080), loose, KubeObjects.slice("loose", web, 8080));
        awaitRules("sticky and loose", r -> has(r, "default/sticky:http cluster IP")
                && has(r, "default/loose:http cluster IP"));

        Map<String, Long> pinned = counts(lab.network().httpBodies(client.namespace(), "10.96.0.15", 80, "/hostname", 30));
        Map<String, Long> spread = counts(lab.network().httpBodies(client.namespace(), "10.96.0.16", 80, "/hostname", 30));

        assertThat(pinned).hasSize(1);
        assertThat(pinned.keySet()).isSubsetOf("web-1", "web-2", "web-3");
        assertThat(spread).as("without affinity").hasSizeGreaterThan(1);
        assertThat(spread.keySet()).isSubsetOf("web-1", "web-2", "web-3");
    }

    @Test
    void loadBalancerSourceRangesAdmitListedSourcesAndDropOthers() throws Exception {
        assumeSupports(Feature.SOURCE_RANGES);
        Service svc = KubeObjects.loadBalancerSourceRanges(
                KubeObjects.loadBalancer(KubeObjects.service("web-fw", "10.96.0.17", 80, 8080).build(), 30082,
                        "203.0.113.30"),
                lab.network().clientIp() + "/32");
        lab.apply(svc, KubeObjects.slice("web-fw", web, 8080));
        awaitRulesContaining("default/web-fw:http loadbalancer IP");

        List<String> allowed = lab.network().httpBodies(outside(), "203.0.113.30", 80, "/hostname", 30);
        List<DialResult> other = lab.network().traffic().fromIp(OTHER_CLIENT_IP)
                .http(outside(), "203.0.113.30", 80, "/hostname", 3);

        assertThat(counts(allowed)).containsOnlyKeys("web-1", "web-2", "web-3");
        assertThat(other).as("from %s, outside the ranges", OTHER_CLIENT_IP)
                .allSatisfy(r -> assertThat(r.error()).containsIgnoringCase("timed out"));
        // the other address itself works: the same source reaches a Service without ranges
        List<String> control = LabTraffic.bodies(lab.network().traffic().fromIp(OTHER_CLIENT_IP)
                .http(outside(), node.ip(), 30082, "/hostname", 5));
        assertThat(control).allSatisfy(b -> assertThat(b).isIn("web-1", "web-2", "web-3"));
    }

    @Test
    void aPodReachingItselfThroughItsServiceIsAnsweredWithTheSourceMasqueraded() throws Exception {
        Pod self = web.get(0);
        Service svc = KubeObjects.service("self", "10.96.0.18", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("self", List.of(self), 8080));
        awaitRulesContaining("default/self:http cluster IP");

        List<String> names = lab.network().httpBodies(self.namespace(), "10.96.0.18", 80, "/hostname", 10);
        List<String> sources = lab.network().httpBodies(self.namespace(), "10.96.0.18", 80, "/clientip", 3);

        assertThat(names).containsOnly(self.name());
        assertThat(sources).allSatisfy(s -> assertThat(host(s)).isEqualTo(node.ip()));
    }

    @Test
    void aServiceWithoutEndpointsRefusesConnectionsAtOnce() throws Exception {
        Service svc = KubeObjects.service("empty", "10.96.0.19", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("empty", List.of(), 8080));
        awaitRulesContaining("default/empty:http has no endpoints");

        List<DialResult> results = lab.network().traffic().http(client.namespace(), "10.96.0.19", 80, "/hostname", 3);

        assertThat(results).allSatisfy(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).containsIgnoringCase("refused").doesNotContainIgnoringCase("timed out");
        });
    }

    @Test
    void removingAnEndpointStopsTrafficToIt() throws Exception {
        Service svc = KubeObjects.service("shrink", "10.96.0.20", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("shrink", web, 8080));
        awaitRulesContaining("default/shrink:http cluster IP");
        assertThat(counts(lab.network().httpBodies(client.namespace(), "10.96.0.20", 80, "/hostname", 30)))
                .containsOnlyKeys("web-1", "web-2", "web-3");

        lab.apply(KubeObjects.slice("shrink", web.subList(1, 3), 8080));
        String removed = "default/shrink:http -> " + web.get(0).ip() + ":8080";
        awaitRules("web-1 gone from shrink", r -> !has(r, removed));

        assertThat(counts(lab.network().httpBodies(client.namespace(), "10.96.0.20", 80, "/hostname", 60)))
                .containsOnlyKeys("web-2", "web-3");
    }

    @Test
    void aUdpFlowFollowsTheEndpointThatReplacedItsOldOne() throws Exception {
        Pod a = web.get(0);
        Pod b = web.get(1);
        Service svc = KubeObjects.udpService("swap", "10.96.0.21", 53, 8081).build();
        lab.apply(svc, KubeObjects.slice("swap", List.of(a), Map.of("udp", 8081)));
        awaitRulesContaining("default/swap:udp -> " + a.ip() + ":8081");
        LabTraffic flow = lab.network().traffic().udpFlow(40053);
        List<String> before = LabTraffic.bodies(flow.udp(client.namespace(), "10.96.0.21", 53, "hostname", 5));
        assertThat(before).containsOnly(a.name());
        if (supports(Feature.CONNTRACK)) {
            assertThat(conntrack("10.96.0.21")).as("the flow's conntrack entry").contains("src=" + a.ip());
        }

        lab.apply(KubeObjects.slice("swap", List.of(b), Map.of("udp", 8081)));
        awaitRules("swap to " + b.name(), r -> has(r, "default/swap:udp -> " + b.ip() + ":8081")
                && !has(r, "default/swap:udp -> " + a.ip() + ":8081"));
        awaitNoConntrackTo("10.96.0.21", a.ip());

        List<String> after = LabTraffic.bodies(flow.udp(client.namespace(), "10.96.0.21", 53, "hostname", 5));
        assertThat(after).as("same source port after the swap; conntrack:\n%s", conntrack("10.96.0.21"))
                .containsOnly(b.name());
    }

    @Test
    void aUdpNodePortFlowFromOutsideFollowsTheEndpointThatReplacedItsOldOne() throws Exception {
        Pod a = web.get(1);
        Pod b = web.get(2);
        Service svc = KubeObjects.nodePort(KubeObjects.udpService("swap-np", "10.96.0.22", 53, 8081).build(), 30110);
        lab.apply(svc, KubeObjects.slice("swap-np", List.of(a), Map.of("udp", 8081)));
        awaitRulesContaining("default/swap-np:udp -> " + a.ip() + ":8081");
        LabTraffic flow = lab.network().traffic().udpFlow(40054);
        assertThat(LabTraffic.bodies(flow.udp(outside(), node.ip(), 30110, "hostname", 5))).containsOnly(a.name());

        lab.apply(KubeObjects.slice("swap-np", List.of(b), Map.of("udp", 8081)));
        awaitRules("swap-np to " + b.name(), r -> has(r, "default/swap-np:udp -> " + b.ip() + ":8081")
                && !has(r, "default/swap-np:udp -> " + a.ip() + ":8081"));
        awaitNoConntrackTo(node.ip(), a.ip());

        assertThat(LabTraffic.bodies(flow.udp(outside(), node.ip(), 30110, "hostname", 5)))
                .as("same source port after the swap; conntrack:\n%s", conntrack(node.ip()))
                .containsOnly(b.name());
    }

    /**
     * Deleting a UDP Service clears its flows (upstream's exec-based cleanup, which StaleFlowCleaner
     * follows; upstream 1.32+ reconciles flows of existing Services only and would let this flow live on).
     */
    @Test
    void aDeletedUdpServiceNoLongerAnswersAnExistingFlow() throws Exception {
        Service svc = KubeObjects.udpService("udp-gone", "10.96.0.25", 53, 8081).build();
        var slice = KubeObjects.slice("udp-gone", web, Map.of("udp", 8081));
        lab.apply(svc, slice);
        awaitRulesContaining("default/udp-gone:udp cluster IP");
        LabTraffic flow = lab.network().traffic().udpFlow(40055);
        assertThat(LabTraffic.bodies(flow.udp(client.namespace(), "10.96.0.25", 53, "hostname", 3)))
                .allSatisfy(b -> assertThat(b).isIn("web-1", "web-2", "web-3"));

        lab.delete(slice);
        lab.delete(svc);
        awaitRules("udp-gone removed", r -> !has(r, "default/udp-gone:udp"));
        awaitNoConntrackTo("10.96.0.25", "");

        assertThat(flow.udp(client.namespace(), "10.96.0.25", 53, "hostname", 2))
                .as("conntrack:\n%s", conntrack("10.96.0.25"))
                .allSatisfy(r -> assertThat(r.ok()).isFalse());
    }

    /**
     * iptables mode answers NodePorts on 127.0.0.1 (route_localnet); nftables mode, as upstream, does
     * not, nor does userspace mode (it listens on the node's addresses only).
     */
    @Test
    void aNodePortAnswersOnTheNodesLocalhostAndToPodsOnTheNodeIp() throws Exception {
        Service svc = KubeObjects.nodePort(KubeObjects.service("np-local", "10.96.0.26", 80, 8080).build(), 30111);
        lab.apply(svc, KubeObjects.slice("np-local", web, 8080));
        awaitRulesContaining("default/np-local:http cluster IP");

        List<String> fromPod = lab.network().httpBodies(client.namespace(), node.ip(), 30111, "/hostname", 30);

        assertThat(counts(fromPod)).as("pod -> node IP:nodePort").containsOnlyKeys("web-1", "web-2", "web-3");
        if (!"iptables".equals(mode())) {
            assertThat(lab.network().traffic().http(node.namespace(), "127.0.0.1", 30111, "/hostname", 2))
                    .as("node -> 127.0.0.1:nodePort").allSatisfy(r -> assertThat(r.ok()).isFalse());
        } else {
            List<String> localhost = lab.network().httpBodies(node.namespace(), "127.0.0.1", 30111, "/hostname", 30);
            assertThat(counts(localhost)).as("node -> 127.0.0.1:nodePort").containsOnlyKeys("web-1", "web-2", "web-3");
        }
    }

    @Test
    void eachPortOfAMultiPortServiceReachesItsOwnTargetPort() throws Exception {
        Service svc = KubeObjects.service("multi", "10.96.0.27", 80, 8080).editSpec()
                .addNewPort().withName("udp").withProtocol("UDP").withPort(53)
                .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(8081)).endPort().endSpec().build();
        lab.apply(svc, KubeObjects.slice("multi", web, Map.of("http", 8080, "udp", 8081)));
        awaitRules("both ports of multi", r -> has(r, "default/multi:http cluster IP")
                && has(r, "default/multi:udp cluster IP"));

        List<String> http = lab.network().httpBodies(client.namespace(), "10.96.0.27", 80, "/hostname", 30);
        List<String> udp = lab.network().udpBodies(client.namespace(), "10.96.0.27", 53, "hostname", 30);

        assertThat(counts(http)).containsOnlyKeys("web-1", "web-2", "web-3");
        assertThat(counts(udp)).containsOnlyKeys("web-1", "web-2", "web-3");
    }

    @Test
    void terminatingEndpointsServeOnlyWhenNoEndpointIsReady() throws Exception {
        Service svc = KubeObjects.service("drain", "10.96.0.28", 80, 8080).build();
        EndpointSlice oneReady = KubeObjects.slice("drain", web, 8080);
        terminating(oneReady, 1);
        terminating(oneReady, 2);
        lab.apply(svc, oneReady);
        awaitRulesContaining("default/drain:http cluster IP");
        List<String> whileOneIsReady = lab.network().httpBodies(client.namespace(), "10.96.0.28", 80, "/hostname", 20);

        EndpointSlice noneReady = KubeObjects.slice("drain", web, 8080);
        terminating(noneReady, 0);
        terminating(noneReady, 1);
        noneReady.getEndpoints().get(2).getConditions().setServing(false);
        noneReady.getEndpoints().get(2).getConditions().setReady(false);
        noneReady.getEndpoints().get(2).getConditions().setTerminating(true);
        lab.apply(noneReady);
        awaitRules("drain falls back to serving terminating endpoints",
                r -> has(r, "default/drain:http -> " + web.get(1).ip() + ":8080")
                        && !has(r, "default/drain:http -> " + web.get(2).ip() + ":8080"));
        List<String> whileAllTerminate = lab.network().httpBodies(client.namespace(), "10.96.0.28", 80, "/hostname", 30);

        assertThat(whileOneIsReady).containsOnly("web-1");
        assertThat(counts(whileAllTerminate)).as("serving terminating endpoints only")
                .containsOnlyKeys("web-1", "web-2");
    }

    /** Marks endpoint {@code i} as a terminating pod that still serves. */
    private static void terminating(EndpointSlice slice, int i) {
        var c = slice.getEndpoints().get(i).getConditions();
        c.setReady(false);
        c.setServing(true);
        c.setTerminating(true);
    }

    @Test
    void zoneHintsKeepTrafficInTheNodesZone() throws Exception {
        Node labelled = KubeObjects.node(node.name(), node.ip());
        labelled.getMetadata().setLabels(Map.of("topology.kubernetes.io/zone", "zone-a"));
        Service svc = KubeObjects.service("zoned", "10.96.0.29", 80, 8080).build();
        EndpointSlice slice = KubeObjects.slice("zoned", web, 8080);
        for (int i = 0; i < 3; i++) {
            String zone = i == 0 ? "zone-b" : "zone-a";
            slice.getEndpoints().get(i).setHints(new EndpointHintsBuilder().addNewForZone().withName(zone).endForZone()
                    .build());
        }
        lab.apply(labelled, svc, slice);
        awaitRules("zoned with zone-a hints only", r -> has(r, "default/zoned:http -> " + web.get(1).ip())
                && !has(r, "default/zoned:http -> " + web.get(0).ip()));

        List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.29", 80, "/hostname", 40);

        assertThat(counts(bodies)).containsOnlyKeys("web-2", "web-3");
    }

    @Test
    void changingAServicePortMovesItsTraffic() throws Exception {
        Service before = KubeObjects.nodePort(KubeObjects.service("moving", "10.96.0.30", 80, 8080).build(), 30112);
        lab.apply(before, KubeObjects.slice("moving", web, 8080));
        awaitRulesContaining("default/moving:http cluster IP");
        assertThat(lab.network().httpBodies(outside(), node.ip(), 30112, "/hostname", 3))
                .allSatisfy(b -> assertThat(b).isIn("web-1", "web-2", "web-3"));

        Service after = KubeObjects.service("moving", "10.96.0.30", 81, 8080).build();
        lab.apply(after);
        awaitRules("moving on port 81", r -> switch (mode()) {
            case "nftables" -> r.contains("10.96.0.30 . tcp . 81 : goto") && !r.contains("tcp . 30112 :");
            case "userspace" -> r.contains("listen TCP 10.96.0.30:81 ") && !r.contains(":30112 ");
            default -> r.contains("--dport 81 -j KUBE-SVC") && !r.contains("--dport 30112");
        });

        assertThat(lab.network().httpBodies(client.namespace(), "10.96.0.30", 81, "/hostname", 5))
                .allSatisfy(b -> assertThat(b).isIn("web-1", "web-2", "web-3"));
        assertThat(lab.network().traffic().http(client.namespace(), "10.96.0.30", 80, "/hostname", 2))
                .as("old port").allSatisfy(r -> assertThat(r.ok()).isFalse());
        assertThat(lab.network().traffic().http(outside(), node.ip(), 30112, "/hostname", 2))
                .as("old node port").allSatisfy(r -> assertThat(r.ok()).isFalse());
    }

    @Test
    void endpointsFromSeveralSlicesAreMergedAndLeaveWithTheirSlice() throws Exception {
        Service svc = KubeObjects.service("sliced", "10.96.0.31", 80, 8080).build();
        EndpointSlice first = named(KubeObjects.slice("sliced", web.subList(0, 2), 8080), "sliced-a");
        // web-2 is in both slices, as during a rebalancing of slices
        EndpointSlice second = named(KubeObjects.slice("sliced", web.subList(1, 3), 8080), "sliced-b");
        lab.apply(svc, first, second);
        awaitRulesContaining("default/sliced:http -> " + web.get(2).ip() + ":8080");
        List<String> both = lab.network().httpBodies(client.namespace(), "10.96.0.31", 80, "/hostname", 60);

        lab.delete(second);
        awaitRules("sliced-b gone", r -> !has(r, "default/sliced:http -> " + web.get(2).ip() + ":8080"));
        List<String> firstOnly = lab.network().httpBodies(client.namespace(), "10.96.0.31", 80, "/hostname", 40);

        assertThat(counts(both)).containsOnlyKeys("web-1", "web-2", "web-3");
        assertThat(counts(firstOnly)).as("web-2 stays: the remaining slice still lists it")
                .containsOnlyKeys("web-1", "web-2");
    }

    private static EndpointSlice named(EndpointSlice slice, String name) {
        slice.getMetadata().setName(name);
        return slice;
    }

    @Test
    void theNodeItselfReachesAClusterIp() throws Exception {
        Service svc = KubeObjects.service("from-node", "10.96.0.23", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("from-node", web, 8080));
        awaitRulesContaining("default/from-node:http cluster IP");

        List<String> bodies = lab.network().httpBodies(node.namespace(), "10.96.0.23", 80, "/hostname", 60);

        assertThat(counts(bodies)).containsOnlyKeys("web-1", "web-2", "web-3");
    }

    @Test
    void aDeletedServiceNoLongerAnswers() throws Exception {
        Service svc = KubeObjects.service("gone", "10.96.0.24", 80, 8080).build();
        var slice = KubeObjects.slice("gone", web, 8080);
        lab.apply(svc, slice);
        awaitRulesContaining("default/gone:http cluster IP");
        assertThat(lab.network().httpBodies(client.namespace(), "10.96.0.24", 80, "/hostname", 5))
                .allSatisfy(b -> assertThat(b).isIn("web-1", "web-2", "web-3"));

        lab.delete(slice);
        lab.delete(svc);
        awaitRules("gone removed", r -> !has(r, "default/gone:http"));

        assertThat(lab.network().traffic().http(client.namespace(), "10.96.0.24", 80, "/hostname", 2))
                .allSatisfy(r -> assertThat(r.ok()).isFalse());
    }

    @Test
    void healthzAndMetricsAnswerOnTheNodeIp() throws Exception {
        // written by the first sync's restore (the jump rules come earlier in that sync)
        awaitRulesContaining("kubernetes service nodeports");

        DialResult healthz = lab.network().traffic().http(node.namespace(), node.ip(), 10256, "/healthz", 1).get(0);
        DialResult metrics = metricsAfterASync();

        assertThat(healthz.status()).as("%s", healthz).isEqualTo(200);
        assertThat(healthz.body()).contains("\"nodeEligible\": true");
        assertThat(metrics.status()).as("%s", metrics.error()).isEqualTo(200);
        assertThat(metrics.body()).contains("kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"+Inf\"}")
                .as("syncs are counted").doesNotContain("kubeproxy_sync_proxy_rules_duration_seconds_count 0");
    }

    /** /metrics once the first sync has been counted (it is counted just after its restore). */
    private DialResult metricsAfterASync() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        DialResult r;
        do {
            r = lab.network().traffic().http(node.namespace(), node.ip(), 10249, "/metrics", 1).get(0);
            if (r.ok() && !r.body().contains("kubeproxy_sync_proxy_rules_duration_seconds_count 0")) {
                return r;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return r;
    }

    private void assumeSupports(Feature feature) {
        Assumptions.assumeTrue(supports(feature), () -> unsupportedReason(feature));
    }

    /** Why this mode does not honour {@code feature}. */
    String unsupportedReason(Feature feature) {
        return mode() + " mode does not support " + feature;
    }

    private String conntrack(String serviceIp) {
        return lab.network().exec(node.namespace(), "conntrack", "-L", "-p", "udp", "--orig-dst", serviceIp)
                .stdout();
    }

    /**
     * Gives the proxy up to 10 s after writing the rules to delete the flows DNATed to {@code ip}
     * (it does so right after the restore). If it never does, the test goes on and the traffic
     * assertion shows where the packets went.
     */
    private void awaitNoConntrackTo(String serviceIp, String ip) throws InterruptedException {
        if (!supports(Feature.CONNTRACK)) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && conntrack(serviceIp).contains("src=" + ip)) {
            Thread.sleep(50);
        }
    }
}
