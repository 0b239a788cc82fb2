package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.CommandResult;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The nftables proxy's life on one node, in order: a restart finds what the previous process
 * left (stale chains and affinity sets of a Service deleted meanwhile) and removes it; flags that
 * shape every rule (the masquerade bit) take effect on restart; {@code --cleanup} removes the
 * table. The nftables twin of {@link ProxyLifecycleE2ETest}, which reads iptables-save.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NftablesProxyLifecycleE2ETest {
    private ServiceLab lab;
    private LabNode node;
    private List<Pod> web;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(1);
        node = lab.node(1);
        web = lab.backends(node, "web-1", "web-2");
        lab.startProxies("nftables", List.of());
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private boolean has(String rules, String marker) {
        return RuleMarkers.has("nftables", rules, marker);
    }

    @Test
    @Order(1)
    void aRestartedProxyRemovesWhatItsPredecessorLeftForADeletedService() throws Exception {
        Service svc = KubeObjects.clientIpAffinity(KubeObjects.service("before", "10.96.2.20", 80, 8080).build());
        lab.apply(svc, KubeObjects.slice("before", web, 8080));
        lab.awaitRules("before", r -> has(r, "default/before:http cluster IP"));
        assertThat(lab.savedRules(node)).contains("set affinity-", "chain endpoint-");

        lab.stopProxy(node);
        lab.delete(svc);
        Service next = KubeObjects.service("after", "10.96.2.21", 80, 8080).build();
        lab.apply(next, KubeObjects.slice("after", web.subList(0, 1), 8080));
        lab.startProxy(node);
        lab.awaitRules("after without before", r -> has(r, "default/after:http cluster IP")
                && !has(r, "default/before:http"));

        String rules = lab.savedRules(node);
        assertThat(rules).as("affinity sets of the deleted Service are deleted at once")
                .doesNotContain("affinity-");
        assertThat(rules.split("jump services", -1)).as("jumps to services: from nat-prerouting and nat-output only")
                .hasSize(3);
        assertThat(lab.network().httpBodies(node.namespace(), "10.96.2.21", 80, "/hostname", 5)).containsOnly("web-1");
        // stale chains are flushed now and deleted by a sync at least a second later
        Thread.sleep(1100);
        lab.apply(KubeObjects.service("nudge", "10.96.2.22", 80, 8080).build());
        lab.awaitRules("stale chains deleted", r -> !r.contains("default/before/"));
    }

    @Test
    @Order(2)
    void aNewMasqueradeBitReplacesTheMarkEverywhere() throws Exception {
        lab.restartProxy(node, "--masquerade-bit", "5");
        lab.awaitRules("mark 0x20", r -> r.contains("meta mark set meta mark | 0x00000020"));
        String rules = lab.savedRules(node);
        assertThat(rules).doesNotContain("0x00004000");
        Pod self = web.get(1);
        lab.apply(KubeObjects.service("self", "10.96.2.23", 80, 8080).build(),
                KubeObjects.slice("self", List.of(self), 8080));
        lab.awaitRules("self", r -> has(r, "default/self:http cluster IP"));
        List<String> sources = lab.network().httpBodies(self.namespace(), "10.96.2.23", 80, "/clientip", 3);
        assertThat(sources).as("hairpin traffic is masqueraded with the new mark")
                .allSatisfy(s -> assertThat(E2eAssertions.host(s)).isEqualTo(node.ip()));
    }

    @Test
    @Order(3)
    void cleanupAfterTheProxyStopsRemovesTheTable() throws Exception {
        Service lb = KubeObjects.clientIpAffinity(KubeObjects.externalTrafficLocal(
                KubeObjects.loadBalancerSourceRanges(
                        KubeObjects.loadBalancer(KubeObjects.service("lb", "10.96.2.10", 80, 8080).build(), 30100,
                                "203.0.113.40"),
                        "192.168.77.0/24"),
                32100));
        Service empty = KubeObjects.externalIps(KubeObjects.service("empty", "10.96.2.12", 80, 8080).build(),
                "203.0.113.41");
        lab.apply(lb, KubeObjects.slice("lb", web, 8080), empty);
        lab.awaitRules("both Services", r -> r.contains("chain firewall-") && r.contains("chain local-")
                && has(r, "default/empty:http has no endpoints"));

        lab.stopProxy(node);
        assertThat(lab.savedRules(node)).as("rules outlive the proxy").contains("chain services");
        CommandResult cleanup = lab.cleanupProxyRules(node);

        assertThat(cleanup.exitCode()).as("exit status; stderr:\n%s", cleanup.stderr()).isZero();
        assertThat(lab.network().exec(node.namespace(), "nft", "list", "tables").stdout())
                .doesNotContain("kube-proxy");
        CommandResult again = lab.cleanupProxyRules(node);
        assertThat(again.exitCode()).as("cleanup without a table; stderr:\n%s", again.stderr()).isZero();
    }
}
