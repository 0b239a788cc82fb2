package dev.turnout.proxy.iptables;

import static dev.turnout.model.fixtures.Fixtures.affinity;
import static dev.turnout.model.fixtures.Fixtures.ep;
import static dev.turnout.model.fixtures.Fixtures.local;
import static dev.turnout.model.fixtures.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import dev.turnout.proxy.ProxyState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds the inputs of upstream proxier_test.go cases and compares our output, sorted as
 * upstream's test helper sorts, with upstream's expected text (golden/upstream/).
 */
public class UpstreamConformanceTest {

    /** upstream's NewFakeProxier: node test-node at 192.168.0.2, pods 10.0.0.0/8, mark 0x4000. */
    static IptablesCompiler fakeProxier(boolean nfacct) {
        IptablesConfig config = new IptablesConfig(IpFamily.IPv4, "test-node", List.of("192.168.0.2"),
                List.of(Cidr.parse("10.0.0.0/8")), 14, List.of(), true, nfacct);
        return new IptablesCompiler(config, CompilerOptions.UPSTREAM_TEST);
    }

    public static ProxyState overallState() {
        return new StateBuilder()
                .add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80), ep("10.180.0.1", 80))
                // LoadBalancer, eTP Local; its endpoint has no node name, so it is not local
                .add(tcp("ns2", "svc2", "p80", "172.30.0.42", 80).nodePort(3001)
                        .loadBalancerVips(List.of("1.2.3.4")).externalIps(List.of("192.168.99.22"))
                        .healthCheckNodePort(30000).externalPolicyLocal(true), ep("10.180.0.2", 80))
                .add(tcp("ns3", "svc3", "p80", "172.30.0.43", 80).nodePort(3003), ep("10.180.0.3", 80))
                .add(tcp("ns4", "svc4", "p80", "172.30.0.44", 80).externalIps(List.of("192.168.99.33")),
                        ep("10.180.0.4", 80), local("10.180.0.5", 80))
                // LoadBalancer, eTP Cluster, source ranges (" 203.0.113.0/25" trimmed), affinity
                .add(affinity(tcp("ns5", "svc5", "p80", "172.30.0.45", 80).nodePort(3002)
                        .loadBalancerVips(List.of("5.6.7.8")).loadBalancerSourceRanges(List.of("203.0.113.0/25")),
                        10800), ep("10.180.0.3", 80))
                .add(tcp("ns6", "svc6", "p80", "172.30.0.46", 80))
                .build();
    }

    @Test
    void testOverallIPTablesRules() {
        CompiledRules out = fakeProxier(true).compile(SyncInput.full(overallState()));
        Golden.assertSameText("TestOverallIPTablesRules", Golden.read("upstream/overall.txt"),
                UpstreamRuleSorter.sort(out.restoreInput()));
        // upstream checks the nat-rule metric against the rules in the output
        assertThat(out.natRules()).isEqualTo(RuleChecks.count(out.restoreInput(), "nat"));
        assertThat(out.filterRules()).isEqualTo(RuleChecks.count(out.restoreInput(), "filter"));
    }

    /** TestSyncProxyRulesRepeated: a full sync, then partial syncs of changed Services only. */
    @Test
    void testSyncProxyRulesRepeated() {
        IptablesCompiler c = fakeProxier(false);
        Set<String> kernel = new HashSet<>();
        StateBuilder s = new StateBuilder()
                .add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80), ep("10.0.1.1", 80))
                .add(tcp("ns2", "svc2", "p8080", "172.30.0.42", 8080), ep("10.0.2.1", 8080));
        step(c, kernel, s, true, Set.of(), 1);

        s.add(tcp("ns3", "svc3", "p80", "172.30.0.43", 80), ep("10.0.3.1", 80));
        step(c, kernel, s, false, Set.of("ns3/svc3"), 2);

        s.remove("ns2/svc2");
        step(c, kernel, s, false, Set.of("ns2/svc2"), 3);

        s.add(tcp("ns4", "svc4", "p80", "172.30.0.44", 80));
        step(c, kernel, s, false, Set.of("ns4/svc4"), 4);

        s.add(tcp("ns4", "svc4", "p80", "172.30.0.44", 80), ep("10.0.4.1", 80));
        step(c, kernel, s, false, Set.of("ns4/svc4"), 5);

        s.add(tcp("ns3", "svc3", "p80", "172.30.0.43", 80), ep("10.0.3.2", 80));
        step(c, kernel, s, false, Set.of("ns3/svc3"), 6);

        s.add(tcp("ns3", "svc3", "p80", "172.30.0.43", 80), ep("10.0.3.2", 80), ep("10.0.3.3", 80));
        step(c, kernel, s, false, Set.of("ns3/svc3"), 7);

        step(c, kernel, s, false, Set.of(), 8);

        // upstream: a failed partial sync (not reproducible here) is followed by a full one
        s.remove("ns4/svc4");
        step(c, kernel, s, true, Set.of(), 9);
    }

    /** Compiles, compares with repeated-N, and applies the result to our model of the nat table. */
    private static void step(IptablesCompiler c, Set<String> kernel, StateBuilder s, boolean full,
            Set<String> changed, int n) {
        CompiledRules out = c.compile(new SyncInput(s.build(), full, changed, kernel));
        Golden.assertSameText("TestSyncProxyRulesRepeated step " + n, Golden.read("upstream/repeated-" + n + ".txt"),
                UpstreamRuleSorter.sort(out.restoreInput()));
        RuleChecks.applyNatChains(kernel, out.restoreInput());
    }
}
