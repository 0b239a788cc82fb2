package dev.turnout.proxy.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.proxy.kernel.fake.RecordingCommandRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command lines the CLI-backed seams run, and how they read exit codes. */
class KernelCliTest {
    private static CommandResult exit(List<String> argv, int code, String stderr) {
        return new CommandResult(argv, code, "", stderr);
    }

    @Test
    void restoreWaitsForTheXtablesLockAndPassesNoflushAndCounters() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner();
        new IptablesCli(runner, IpFamily.IPv4).restore("*nat\nCOMMIT\n", true, true);
        assertThat(runner.calls()).singleElement().satisfies(c -> {
            assertThat(c.toString()).isEqualTo("iptables-restore -w 5 -W 100000 --noflush --counters");
            assertThat(c.stdin()).isEqualTo("*nat\nCOMMIT\n");
        });
    }

    @Test
    void ipv6UsesTheIp6Binaries() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner();
        new IptablesCli(runner, IpFamily.IPv6).save("nat");
        assertThat(runner.calls().get(0).toString()).isEqualTo("ip6tables-save -t nat");
    }

    @Test
    void ensureRuleChecksThenInsertsOnlyWhenMissing() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(
                argv -> exit(argv, argv.contains("-C") ? 1 : 0, ""));
        boolean existed = new IptablesCli(runner, IpFamily.IPv4).ensureRule(RulePosition.PREPEND, "nat", "OUTPUT",
                List.of("-m", "comment", "--comment", "kubernetes service portals", "-j", "KUBE-SERVICES"));
        assertThat(existed).isFalse();
        assertThat(runner.calls()).extracting(Object::toString).containsExactly(
                "iptables -w 5 -W 100000 -t nat -C OUTPUT -m comment --comment kubernetes service portals -j KUBE-SERVICES",
                "iptables -w 5 -W 100000 -t nat -I OUTPUT -m comment --comment kubernetes service portals -j KUBE-SERVICES");
    }

    @Test
    void ensureChainReadsExitOneAsAlreadyThere() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(argv -> exit(argv, 1, "Chain already exists."));
        assertThat(new IptablesCli(runner, IpFamily.IPv4).ensureChain("nat", "KUBE-SERVICES")).isTrue();
    }

    @Test
    void deleteRuleOfAMissingRuleDoesNothing() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(argv -> exit(argv, 1, "Bad rule"));
        new IptablesCli(runner, IpFamily.IPv4).deleteRule("filter", "INPUT", List.of("-j", "KUBE-FIREWALL"));
        assertThat(runner.calls()).hasSize(1);
    }

    @Test
    void aFailedRestoreCarriesStderr() {
        RecordingCommandRunner runner = new RecordingCommandRunner(
                argv -> exit(argv, 2, "iptables-restore: line 3 failed"));
        assertThatThrownBy(() -> new IptablesCli(runner, IpFamily.IPv4).restore("x", true, true))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("line 3 failed")
                .satisfies(e -> assertThat(((KernelException) e).exitCode()).isEqualTo(2));
    }

    @Test
    void conntrackUsesUpstreamFiltersAndIgnoresNothingToDelete() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(
                argv -> exit(argv, 1, "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted."));
        ConntrackCli ct = new ConntrackCli(runner);
        ct.clearEntriesForIp("10.96.0.10", Protocol.UDP);
        ct.clearEntriesForPort(30053, false, Protocol.UDP);
        ct.clearEntriesForNat("10.96.0.10", "10.244.1.5", Protocol.UDP);
        ct.clearEntriesForPortNat("10.244.1.5", 30053, Protocol.UDP);
        ct.clearEntriesForIp("fd00::a", Protocol.UDP);
        assertThat(runner.calls()).extracting(Object::toString).containsExactly(
                "conntrack -D --orig-dst 10.96.0.10 -p udp",
                "conntrack -D -p udp --dport 30053",
                "conntrack -D --orig-dst 10.96.0.10 --dst-nat 10.244.1.5 -p udp",
                "conntrack -D -p udp --dport 30053 --dst-nat 10.244.1.5",
                "conntrack -D --orig-dst fd00::a -p udp -f ipv6");
    }

    @Test
    void conntrackReportsRealFailures() {
        RecordingCommandRunner runner = new RecordingCommandRunner(argv -> exit(argv, 1, "Operation not permitted"));
        assertThatThrownBy(() -> new ConntrackCli(runner).clearEntriesForIp("10.0.0.1", Protocol.UDP))
                .isInstanceOf(KernelException.class);
    }

    @Test
    void sysctlReadsAndWritesThroughTheBinary() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(
                argv -> new CommandResult(argv, 0, argv.contains("-n") ? "0\n" : "", ""));
        new SysctlCli(runner).ensure("net/ipv4/conf/all/route_localnet", 1);
        assertThat(runner.calls()).extracting(Object::toString).containsExactly(
                "sysctl -n net/ipv4/conf/all/route_localnet",
                "sysctl -w net/ipv4/conf/all/route_localnet=1");
    }

    @Test
    void chainsAreReadFromSaveOutput() {
        String save = "# Generated\n*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n";
        assertThat(Iptables.chainsOf(save)).containsExactly("PREROUTING", "KUBE-SERVICES");
    }
}
