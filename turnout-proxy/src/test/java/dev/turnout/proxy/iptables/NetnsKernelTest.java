package dev.turnout.proxy.iptables;

import dev.turnout.proxy.kernel.RulePosition;
import static dev.turnout.proxy.testing.Fixtures.ready;
import static dev.turnout.proxy.testing.Fixtures.service;
import static dev.turnout.proxy.testing.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.proxy.kernel.CommandResult;
import dev.turnout.proxy.kernel.ConntrackCli;
import dev.turnout.proxy.kernel.Iptables;
import dev.turnout.proxy.kernel.IptablesCli;
import dev.turnout.proxy.kernel.ProcessCommandRunner;
import dev.turnout.proxy.kernel.SysctlCli;
import dev.turnout.proxy.runner.FakeScheduler;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The kernel seams against a real kernel, inside a network namespace this test creates (and
 * deletes, also on failure), so the host's own rules are never touched. Needs root and iproute2;
 * skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsKernelTest {
    private static final String RULESET = """
            *filter
            :KUBE-SERVICES - [0:0]
            :KUBE-EXTERNAL-SERVICES - [0:0]
            :KUBE-FORWARD - [0:0]
            :KUBE-NODEPORTS - [0:0]
            :KUBE-PROXY-FIREWALL - [0:0]
            -A KUBE-SERVICES -m comment --comment "ns/empty:p has no endpoints" -m tcp -p tcp -d 10.96.0.30/32 --dport 80 -j REJECT
            -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
            COMMIT
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-NODEPORTS - [0:0]
            :KUBE-POSTROUTING - [0:0]
            :KUBE-MARK-MASQ - [0:0]
            :KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]
            :KUBE-SEP-BBBBBBBBBBBBBBBB - [0:0]
            -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
            -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
            -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
            -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
            -A KUBE-SERVICES -m comment --comment "ns/web:p cluster IP" -m tcp -p tcp -d 10.96.0.20/32 --dport 80 -j KUBE-SVC-AAAAAAAAAAAAAAAA
            -A KUBE-SVC-AAAAAAAAAAAAAAAA -m comment --comment "ns/web:p -> 10.244.1.5:8080" -j KUBE-SEP-BBBBBBBBBBBBBBBB
            -A KUBE-SEP-BBBBBBBBBBBBBBBB -m comment --comment ns/web:p -s 10.244.1.5/32 -j KUBE-MARK-MASQ
            -A KUBE-SEP-BBBBBBBBBBBBBBBB -m comment --comment ns/web:p -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080
            COMMIT
            """;

    private String netns;
    private ProcessCommandRunner inNetns;
    private IptablesCli iptables;

    @BeforeAll
    void createNetns() throws Exception {
        ProcessCommandRunner host = new ProcessCommandRunner();
        CommandResult id = host.run(List.of("id", "-u"));
        assumeTrue(id.ok() && id.stdout().strip().equals("0"), "needs root");
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder name = new StringBuilder("tr");
        for (int i = 0; i < 6; i++) {
            name.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        CommandResult add = host.run(List.of("ip", "netns", "add", name.toString()));
        assumeTrue(add.ok(), () -> "cannot create a network namespace: " + add.describe());
        netns = name.toString();
        inNetns = new ProcessCommandRunner(netns, Duration.ofSeconds(30));
        iptables = new IptablesCli(inNetns, IpFamily.IPv4);
    }

    @AfterAll
    void deleteNetns() throws Exception {
        if (netns != null) {
            new ProcessCommandRunner().run(List.of("ip", "netns", "del", netns));
        }
    }

    private String saveAll() throws Exception {
        return iptables.save("filter") + iptables.save("nat") + iptables.save("mangle");
    }

    @Test
    @Order(1)
    void restoresAHandWrittenRulesetAndSavesItBack() throws Exception {
        iptables.restore(RULESET, true, true);
        String nat = iptables.save("nat");
        assertThat(Iptables.chainsOf(nat)).contains("KUBE-SERVICES", "KUBE-SVC-AAAAAAAAAAAAAAAA",
                "KUBE-SEP-BBBBBBBBBBBBBBBB", "KUBE-MARK-MASQ");
        assertThat(nat).contains("-j DNAT --to-destination 10.244.1.5:8080");
        assertThat(iptables.save("filter")).contains("-j REJECT");
    }

    @Test
    @Order(2)
    void ensuresJumpRulesOnceEach() throws Exception {
        for (JumpRule j : JumpRule.ALL) {
            iptables.ensureChain(j.table(), j.target());
            assertThat(iptables.ensureRule(RulePosition.PREPEND, j.table(), j.source(), j.ruleArgs())).as("first " + j).isFalse();
        }
        for (JumpRule j : JumpRule.ALL) {
            assertThat(iptables.ensureChain(j.table(), j.target())).isTrue();
            assertThat(iptables.ensureRule(RulePosition.PREPEND, j.table(), j.source(), j.ruleArgs())).as("again " + j).isTrue();
        }
        assertThat(iptables.save("nat")).contains(
                "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
    }

    @Test
    @Order(3)
    void conntrackAndSysctlWorkInTheNamespace() throws Exception {
        ConntrackCli ct = new ConntrackCli(inNetns);
        ct.clearEntriesForIp("10.96.0.10", Protocol.UDP);
        ct.clearEntriesForPort(30053, false, Protocol.UDP);
        ct.clearEntriesForNat("10.96.0.10", "10.244.1.5", Protocol.UDP);
        ct.clearEntriesForPortNat("10.244.1.5", 30053, Protocol.UDP);
        SysctlCli sysctl = new SysctlCli(inNetns);
        sysctl.ensure(IptablesProxier.ROUTE_LOCALNET, 1);
        assertThat(sysctl.get(IptablesProxier.ROUTE_LOCALNET)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void cleanupLeavesNoKubeChainOrJump() throws Exception {
        assertThat(new IptablesCleanup(iptables, true).run()).isEmpty();
        assertThat(saveAll()).doesNotContain("KUBE-");
    }

    @Test
    @Order(5)
    void aProxierSyncsIntoTheNamespaceAndCleansUp() throws Exception {
        FakeCompiler compiler = new FakeCompiler();
        FakeScheduler clock = new FakeScheduler();
        IptablesProxier proxier = IptablesProxier.builder(IptablesConfig.defaults("me"), compiler)
                .kernel(inNetns).scheduler(clock).build();
        proxier.start();
        proxier.serviceHandler().onAdd(service("ns", "web", "10.96.0.20", 80, "TCP"));
        proxier.endpointSliceHandler().onAdd(slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5"))));
        proxier.serviceHandler().onSynced();
        proxier.endpointSliceHandler().onSynced();
        clock.drain();
        String nat = iptables.save("nat");
        assertThat(nat).contains("-A KUBE-SERVICES -d 10.96.0.20/32 -j KUBE-SVC-");
        assertThat(nat).contains("-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");

        proxier.serviceHandler().onDelete(service("ns", "web", "10.96.0.20", 80, "TCP"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(compiler.last().full()).isFalse();
        assertThat(iptables.save("nat")).as("stale service chain deleted").doesNotContain("KUBE-SVC-");

        assertThat(proxier.cleanup()).isEmpty();
        assertThat(saveAll()).doesNotContain("KUBE-");
        proxier.stop();
    }
}
