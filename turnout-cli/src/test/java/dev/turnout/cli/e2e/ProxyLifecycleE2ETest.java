package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.CommandResult;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The proxy process over time on one node: a restart picks up the rules it left, and
 * {@code --cleanup} (last, since it leaves the node without a proxy) removes all of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyLifecycleE2ETest {
    private ServiceLab lab;
    private LabNode node;
    private List<Pod> web;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(1);
        node = lab.node(1);
        web = lab.backends(node, "web-1", "web-2");
        lab.startProxies();
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void aRestartedProxyKeepsServingWithoutDuplicatingItsJumps() throws Exception {
        Service svc = KubeObjects.service("before", "10.96.2.20", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("before", web, 8080));
        lab.awaitRulesContaining("default/before:http cluster IP");
        String firstRules = lab.savedRules(node);

        lab.stopProxy(node);
        // changed while no proxy runs: the new one must add it and delete the old chains
        lab.delete(svc);
        Service next = KubeObjects.service("after", "10.96.2.21", 80, 8080).build();
        lab.apply(next, KubeObjects.slice("after", web.subList(0, 1), 8080));
        lab.startProxy(node);
        lab.awaitRules("after without before", r -> r.contains("default/after:http cluster IP")
                && !r.contains("default/before:http"));

        String rules = lab.savedRules(node);
        assertThat(jumps(rules)).isEqualTo(jumps(firstRules));
        assertThat(jumps(rules)).as("jump rules in built-in chains, once each").doesNotHaveDuplicates();
        assertThat(lab.network().httpBodies(node.namespace(), "10.96.2.21", 80, "/hostname", 5)).containsOnly("web-1");
    }

    /** The rules in built-in chains that jump to ours, as "table: rule" without counters. */
    private static List<String> jumps(String saved) {
        List<String> out = new ArrayList<>();
        String table = "";
        for (String line : saved.lines().toList()) {
            String l = line.replaceFirst("^\\[\\d+:\\d+\\] ", "");
            if (l.startsWith("*")) {
                table = l.substring(1);
            } else if (l.matches("-A (PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) .*-j KUBE-.*")) {
                out.add(table + ": " + l);
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    @Order(2)
    void nodePortAddressesAndAnotherMasqueradeBitAreHonoured() throws Exception {
        lab.restartProxy(node, "--nodeport-addresses", "192.168.77.0/24", "--masquerade-bit", "5");
        Service np = KubeObjects.nodePort(KubeObjects.service("np", "10.96.2.30", 80, 8080).build(), 30120);
        Service self = KubeObjects.service("self", "10.96.2.31", 80, 8080).build();
        lab.apply(np, KubeObjects.slice("np", web, 8080), self, KubeObjects.slice("self", web.subList(0, 1), 8080));
        lab.awaitRules("np and self with mark 0x20", r -> r.contains("default/np:http cluster IP")
                && r.contains("default/self:http cluster IP") && r.contains("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x20/0x20")
                && r.contains("-A KUBE-SERVICES -d " + node.ip() + "/32 -m comment --comment \"kubernetes service nodeports"));

        List<String> viaNodeIp = lab.network().httpBodies(lab.network().clientNamespace(), node.ip(), 30120,
                "/hostname", 10);
        var viaLocalhost = lab.network().traffic().http(node.namespace(), "127.0.0.1", 30120, "/hostname", 2);
        List<String> hairpin = lab.network().httpBodies(web.get(0).namespace(), "10.96.2.31", 80, "/hostname", 5);

        assertThat(viaNodeIp).allSatisfy(b -> assertThat(b).isIn("web-1", "web-2"));
        assertThat(viaLocalhost).as("127.0.0.1 is outside --nodeport-addresses")
                .allSatisfy(r -> assertThat(r.ok()).isFalse());
        assertThat(hairpin).as("hairpin needs the masquerade mark").containsOnly("web-1");
        assertThat(lab.savedRules(node)).doesNotContain("0x4000");
    }

    @Test
    @Order(3)
    void afterAFirewallReloadFlushesIptablesTheProxyRestoresItsRules() throws Exception {
        lab.restartProxy(node, "--sync-period", "2s");
        // only the two Services below, so that after the flush one sync can rewrite all there is
        for (String name : List.of("after", "np", "self")) {
            lab.delete(KubeObjects.service(name, "10.96.2.1", 80, 8080).build());
            lab.delete(KubeObjects.slice(name, List.of(), 8080));
        }
        Service svc = KubeObjects.service("reloaded", "10.96.2.40", 80, 8080).build();
        Service other = KubeObjects.service("untouched", "10.96.2.41", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("reloaded", web, 8080), other, KubeObjects.slice("untouched", web, 8080));
        lab.awaitRules("reloaded and untouched only", r -> r.contains("default/reloaded:http cluster IP")
                && r.contains("default/untouched:http cluster IP") && !r.contains("default/after:http")
                && !r.contains("default/np:http") && !r.contains("default/self:http"));

        // what a firewall reload does to the node: every table replaced by one without our chains
        // (each table in one transaction); then both Services change, so that the next sync
        // rewrites all of their chains and succeeds even though the rest of ours are gone
        lab.network().exec(node.namespace(), "sh", "-c",
                "printf '*mangle\\nCOMMIT\\n*nat\\nCOMMIT\\n*filter\\nCOMMIT\\n' | iptables-restore").orThrow();
        lab.apply(KubeObjects.slice("reloaded", web.subList(0, 1), 8080),
                KubeObjects.slice("untouched", web.subList(0, 1), 8080));
        lab.awaitRules("rules and jumps back after the flush", r -> r.contains("default/reloaded:http cluster IP")
                && !r.contains("default/reloaded:http -> " + web.get(1).ip())
                && r.contains("-j DNAT --to-destination " + web.get(0).ip() + ":8080")
                && r.contains("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"));

        assertThat(lab.network().httpBodies(web.get(1).namespace(), "10.96.2.40", 80, "/hostname", 5))
                .containsOnly("web-1");
    }

    @Test
    @Order(4)
    void cleanupAfterTheProxyStopsLeavesNoKubeChainOrRule() throws Exception {
        Service lb = KubeObjects.clientIpAffinity(KubeObjects.externalTrafficLocal(
                KubeObjects.loadBalancerSourceRanges(
                        KubeObjects.loadBalancer(KubeObjects.service("lb", "10.96.2.10", 80, 8080).build(), 30100,
                                "203.0.113.40"),
                        "192.168.77.0/24"),
                32100));
        Service udp = KubeObjects.nodePort(KubeObjects.udpService("udp", "10.96.2.11", 53, 8081).build(), 30101);
        Service empty = KubeObjects.externalIps(KubeObjects.service("empty", "10.96.2.12", 80, 8080).build(),
                "203.0.113.41");
        lab.apply(lb, KubeObjects.slice("lb", web, 8080), udp,
                KubeObjects.slice("udp", web, java.util.Map.of("udp", 8081)), empty);
        lab.awaitRules("all three Services", r -> r.contains("KUBE-FW-") && r.contains("KUBE-SVL-")
                && r.contains("default/udp:udp cluster IP") && r.contains("default/empty:http has no endpoints"));
        assertThat(lab.network().httpBodies(lab.network().clientNamespace(), "203.0.113.40", 80, "/hostname", 3))
                .allSatisfy(b -> assertThat(b).startsWith("web-"));

        lab.stopProxy(node);
        assertThat(lab.savedRules(node)).as("rules outlive the proxy").contains("KUBE-SERVICES");
        CommandResult cleanup = lab.cleanupProxyRules(node);

        assertThat(cleanup.exitCode()).as("exit status; stderr:\n%s", cleanup.stderr()).isZero();
        String after = lab.savedRules(node);
        assertThat(after).as("iptables-save after --cleanup").doesNotContain("KUBE-");
    }
}
