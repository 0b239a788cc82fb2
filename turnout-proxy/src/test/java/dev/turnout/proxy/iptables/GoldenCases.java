package dev.turnout.proxy.iptables;

import static dev.turnout.model.fixtures.Fixtures.affinity;
import static dev.turnout.model.fixtures.Fixtures.ep;
import static dev.turnout.model.fixtures.Fixtures.local;
import static dev.turnout.model.fixtures.Fixtures.nodeHinted;
import static dev.turnout.model.fixtures.Fixtures.notReady;
import static dev.turnout.model.fixtures.Fixtures.service;
import static dev.turnout.model.fixtures.Fixtures.tcp;
import static dev.turnout.model.fixtures.Fixtures.terminating;
import static dev.turnout.model.fixtures.Fixtures.zoneHinted;

import dev.turnout.model.Cidr;
import dev.turnout.model.Endpoint;
import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One golden ruleset per feature; golden/iptables/NAME.txt holds the compiler's raw output.
 * {@code setup} names a case whose output must be in the kernel first (for partial syncs).
 */
final class GoldenCases {
    record Case(String name, IptablesConfig config, CompilerOptions options, SyncInput input, String setup) {
        boolean full() {
            return input.full();
        }

        boolean nfacct() {
            return config.nfacct();
        }

        CompiledRules compile() {
            return new IptablesCompiler(config, options).compile(input);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static IptablesConfig base() {
        return new IptablesConfig(IpFamily.IPv4, "test-node", List.of("192.168.0.2"),
                List.of(Cidr.parse("10.0.0.0/8")), 14, List.of(), true, false);
    }

    static IptablesConfig with(UnaryOperator<ConfigEdit> edit) {
        ConfigEdit e = edit.apply(new ConfigEdit(base()));
        return e.build();
    }

    /** A mutable copy of IptablesConfig's fields. */
    static final class ConfigEdit {
        IpFamily family;
        List<String> nodeIps;
        List<Cidr> clusterCidrs;
        int bit;
        List<Cidr> nodePortAddresses;
        boolean localhost;
        boolean nfacct;

        ConfigEdit(IptablesConfig c) {
            family = c.family();
            nodeIps = c.nodeIps();
            clusterCidrs = c.clusterCidrs();
            bit = c.masqueradeBit();
            nodePortAddresses = c.nodePortAddresses();
            localhost = c.localhostNodePorts();
            nfacct = c.nfacct();
        }

        IptablesConfig build() {
            return new IptablesConfig(family, "test-node", nodeIps, clusterCidrs, bit, nodePortAddresses, localhost, nfacct);
        }
    }

    private static Case full(String name, StateBuilder s) {
        return new Case(name, base(), CompilerOptions.DEFAULTS, SyncInput.full(s.build()), null);
    }

    private static Case full(String name, IptablesConfig c, StateBuilder s) {
        return new Case(name, c, CompilerOptions.DEFAULTS, SyncInput.full(s.build()), null);
    }

    private static StateBuilder nodePortService() {
        return new StateBuilder().add(tcp("ns1", "web", "http", "172.30.0.41", 80).nodePort(30080),
                ep("10.180.0.1", 8080), local("10.180.0.2", 8080));
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(full("clusterip-three-endpoints", new StateBuilder().add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80),
                ep("10.180.0.1", 80), ep("10.180.0.2", 80), local("10.180.0.3", 80))));
        cases.add(full("nodeport", nodePortService()
                .add(service("ns1", "dns", "dns-udp", Protocol.UDP, "172.30.0.10", 53).nodePort(30053),
                        ep("10.180.0.5", 53))
                .add(service("ns1", "sctp", "", Protocol.SCTP, "172.30.0.11", 9999).nodePort(30099),
                        ep("10.180.0.6", 9999))));
        cases.add(full("loadbalancer-source-ranges", new StateBuilder()
                .add(tcp("ns1", "lb", "p80", "172.30.0.41", 80).nodePort(30081)
                        .loadBalancerVips(List.of("1.2.3.4", "5.6.7.8"))
                        .loadBalancerSourceRanges(List.of("192.168.0.0/24", "203.0.113.0/25")), ep("10.180.0.1", 80))
                .add(tcp("ns2", "lb-open", "p443", "172.30.0.42", 443).nodePort(30443)
                        .loadBalancerVips(List.of("9.10.11.12")), ep("10.180.0.2", 443))));
        cases.add(full("external-ips", new StateBuilder()
                .add(tcp("ns1", "ext", "p80", "172.30.0.41", 80).externalIps(List.of("192.168.99.11", "192.168.99.12")),
                        ep("10.180.0.1", 80), ep("10.180.0.2", 80))));
        cases.add(full("etp-local-with-local-endpoints", new StateBuilder()
                .add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).externalPolicyLocal(true)
                        .externalIps(List.of("192.168.99.11")).loadBalancerVips(List.of("1.2.3.4"))
                        .healthCheckNodePort(30000), ep("10.180.0.1", 80), local("10.180.2.1", 80))));
        cases.add(full("etp-local-without-local-endpoints", new StateBuilder()
                .add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).externalPolicyLocal(true)
                        .externalIps(List.of("192.168.99.11")).loadBalancerVips(List.of("1.2.3.4"))
                        .loadBalancerSourceRanges(List.of("203.0.113.0/25")).healthCheckNodePort(30000),
                        ep("10.180.0.1", 80), ep("10.180.2.1", 80))));
        cases.add(full("itp-local", new StateBuilder()
                .add(tcp("ns1", "has-local", "p80", "172.30.0.41", 80).internalPolicyLocal(true),
                        local("10.0.1.1", 80), ep("10.0.1.2", 80), local("10.0.1.3", 80))
                .add(tcp("ns1", "no-local", "p80", "172.30.0.42", 80).internalPolicyLocal(true),
                        ep("10.0.1.4", 80))
                .add(tcp("ns1", "both-local", "p80", "172.30.0.43", 80).internalPolicyLocal(true).nodePort(30043)
                        .externalPolicyLocal(true), local("10.0.1.5", 80), ep("10.0.1.6", 80))));
        cases.add(full("session-affinity", new StateBuilder()
                .add(affinity(tcp("ns1", "sticky", "p80", "172.30.0.41", 80), 10800),
                        ep("10.180.0.1", 80), ep("10.180.0.2", 80), ep("10.180.0.3", 80))
                .add(affinity(tcp("ns1", "sticky-local", "p80", "172.30.0.42", 80).nodePort(30042)
                        .externalPolicyLocal(true), 300), ep("10.180.1.1", 80), local("10.180.1.2", 80))));
        cases.add(full("no-endpoints", new StateBuilder()
                .add(tcp("ns1", "empty", "p80", "172.30.0.41", 80).nodePort(3001)
                        .externalIps(List.of("192.168.99.11")).loadBalancerVips(List.of("1.2.3.4")))
                .add(tcp("ns1", "not-ready", "p80", "172.30.0.42", 80), notReady("10.180.0.9", 80, true))));
        cases.add(full("terminating-fallback", new StateBuilder()
                .add(tcp("ns1", "all-terminating", "p80", "172.30.0.41", 80),
                        terminating("10.0.1.2", 80, true, false), terminating("10.0.1.3", 80, true, false),
                        terminating("10.0.1.4", 80, false, false))
                .add(tcp("ns1", "local-terminating", "p80", "172.30.1.1", 80).externalPolicyLocal(true)
                        .loadBalancerVips(List.of("1.2.3.4")).healthCheckNodePort(30000),
                        terminating("10.0.2.2", 80, true, true), terminating("10.0.2.3", 80, true, true),
                        terminating("10.0.2.4", 80, false, true), ep("10.0.2.5", 80))));
        cases.add(full("nodeport-addresses", with(e -> {
            e.nodePortAddresses = List.of(Cidr.parse("192.168.0.0/24"), Cidr.parse("127.0.0.1/32"),
                    Cidr.parse("2001:db8::/64"));
            return e;
        }), nodePortService()));
        cases.add(full("nodeport-addresses-without-loopback", with(e -> {
            e.nodePortAddresses = List.of(Cidr.parse("192.168.0.0/24"));
            return e;
        }), nodePortService()));
        cases.add(full("no-localhost-nodeports", with(e -> {
            e.localhost = false;
            return e;
        }), nodePortService()));
        cases.add(full("masquerade-bit-5", with(e -> {
            e.bit = 5;
            return e;
        }), nodePortService()));
        cases.add(full("nfacct", with(e -> {
            e.nfacct = true;
            return e;
        }), nodePortService()));
        cases.add(new Case("masquerade-all-tcp-liberal", base(), new CompilerOptions(false, true, true, true, null),
                SyncInput.full(nodePortService().build()), null));
        cases.add(full("no-cluster-cidr", with(e -> {
            e.clusterCidrs = List.of();
            return e;
        }), new StateBuilder().add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80).nodePort(3001).externalPolicyLocal(true),
                local("10.180.0.1", 80))));
        addTopology(cases);
        addPartialSync(cases);
        addIpv6(cases);
        cases.add(new Case("upstream-overall-raw", UpstreamConformanceTest.fakeProxier(true).config(),
                CompilerOptions.UPSTREAM_TEST, SyncInput.full(UpstreamConformanceTest.overallState()), null));
        return cases;
    }

    private static void addTopology(List<Case> cases) {
        Endpoint a = zoneHinted(ep("10.180.0.1", 80), "zone-a");
        Endpoint b = zoneHinted(local("10.180.0.2", 80), "zone-a");
        Endpoint c = zoneHinted(ep("10.180.0.3", 80), "zone-b");
        cases.add(full("topology-zone-hints", new StateBuilder().zone("zone-a")
                .add(tcp("ns1", "zonal", "p80", "172.30.0.41", 80).trafficDistribution("PreferClose"), a, b, c)
                .add(tcp("ns1", "zonal-local", "p80", "172.30.0.42", 80).nodePort(30042).externalPolicyLocal(true),
                        zoneHinted(ep("10.180.1.1", 80), "zone-b"), zoneHinted(local("10.180.1.2", 80), "zone-b"))));
        cases.add(full("topology-node-hints", new StateBuilder().zone("zone-a")
                .add(tcp("ns1", "same-node", "p80", "172.30.0.41", 80).trafficDistribution("PreferSameNode"),
                        nodeHinted(zoneHinted(ep("10.180.0.1", 80), "zone-a"), "node-b"),
                        nodeHinted(zoneHinted(local("10.180.0.2", 80), "zone-a"), "test-node"),
                        nodeHinted(zoneHinted(ep("10.180.0.3", 80), "zone-b"), "node-c"))));
    }

    /** A full sync, then a partial one: ns1/b changed, ns1/gone deleted (its chains go stale). */
    private static void addPartialSync(List<Case> cases) {
        StateBuilder before = new StateBuilder()
                .add(tcp("ns1", "a", "p80", "172.30.0.41", 80), ep("10.180.0.1", 80))
                .add(tcp("ns1", "b", "p80", "172.30.0.42", 80).nodePort(30042), ep("10.180.0.2", 80))
                .add(tcp("ns1", "gone", "p80", "172.30.0.43", 80), ep("10.180.0.3", 80));
        Case base = full("partial-sync-base", before);
        cases.add(base);
        Set<String> kernel = new java.util.HashSet<>(Set.of("KUBE-SERVICES", "KUBE-NODEPORTS"));
        RuleChecks.applyNatChains(kernel, base.compile().restoreInput());
        StateBuilder after = before.remove("ns1/gone")
                .add(tcp("ns1", "b", "p80", "172.30.0.42", 80).nodePort(30042), ep("10.180.0.2", 80), ep("10.180.0.4", 80));
        cases.add(new Case("partial-sync", base(), CompilerOptions.DEFAULTS,
                new SyncInput(after.build(), false, Set.of("ns1/b", "ns1/gone"), kernel), "partial-sync-base"));
    }

    private static void addIpv6(List<Case> cases) {
        IptablesConfig v6 = with(e -> {
            e.family = IpFamily.IPv6;
            e.nodeIps = List.of("2001:db8::1");
            e.clusterCidrs = List.of(Cidr.parse("fd00:10::/64"));
            return e;
        });
        cases.add(full("ipv6", v6, new StateBuilder()
                .add(tcp("ns1", "v6", "p80", "fd00:172:30::41", 80).nodePort(3001)
                        .loadBalancerVips(List.of("2001:db8:99::4")).loadBalancerSourceRanges(List.of("2001:db8::/64")),
                        ep("fd00:10:180::1", 80), local("fd00:10:180::2:1", 80))
                .add(tcp("ns1", "v6-empty", "p80", "fd00:172:30::42", 80))));
    }
}
