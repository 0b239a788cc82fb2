package dev.turnout.proxy.nftables;

import static dev.turnout.model.fixtures.Fixtures.affinity;
import static dev.turnout.model.fixtures.Fixtures.ep;
import static dev.turnout.model.fixtures.Fixtures.local;
import static dev.turnout.model.fixtures.Fixtures.notReady;
import static dev.turnout.model.fixtures.Fixtures.service;
import static dev.turnout.model.fixtures.Fixtures.tcp;
import static dev.turnout.model.fixtures.Fixtures.terminating;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.StateBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One golden transaction per feature (golden/nftables/NAME.nft). A case with {@code setup} is a
 * later sync: the transactions of {@code setup} are what the kernel (and the book) hold first.
 */
final class NftGoldenCases {
    record Case(String name, IptablesConfig config, NftablesOptions options, List<NftSyncInput> syncs) {
        /** Every transaction of the case in order; the last one is the golden. */
        List<NftTransaction> compileAll() {
            NftablesCompiler c = new NftablesCompiler(config, options);
            KernelBook book = new KernelBook();
            List<NftTransaction> out = new ArrayList<>();
            for (NftSyncInput in : syncs) {
                out.add(c.compile(in, book));
            }
            return out;
        }

        NftTransaction compile() {
            List<NftTransaction> all = compileAll();
            return all.get(all.size() - 1);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static IptablesConfig base() {
        return new IptablesConfig(IpFamily.IPv4, "test-node", List.of("192.168.0.2"),
                List.of(Cidr.parse("10.0.0.0/8")), 14, List.of(), false, false);
    }

    private static Case full(String name, StateBuilder s) {
        return new Case(name, base(), NftablesOptions.DEFAULTS, List.of(NftSyncInput.full(s.build())));
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(full("clusterip-three-endpoints", new StateBuilder().add(tcp("ns1", "svc1", "p80", "172.30.0.41", 80),
                ep("10.180.0.1", 80), ep("10.180.0.2", 80), local("10.180.0.3", 80))));
        cases.add(full("nodeport", new StateBuilder()
                .add(tcp("ns1", "web", "http", "172.30.0.41", 80).nodePort(30080), ep("10.180.0.1", 8080),
                        local("10.180.0.2", 8080))
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
                        ep("10.0.1.4", 80))));
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
        cases.add(new Case("nodeport-addresses", new IptablesConfig(IpFamily.IPv4, "test-node", List.of("192.168.0.2"),
                List.of(Cidr.parse("10.0.0.0/8")), 14, List.of(Cidr.parse("192.168.0.0/24"), Cidr.parse("127.0.0.1/32")),
                false, false), NftablesOptions.DEFAULTS.withServiceCidrs(List.of(Cidr.parse("172.30.0.0/16"))),
                List.of(NftSyncInput.full(new StateBuilder()
                        .add(tcp("ns1", "web", "http", "172.30.0.41", 80).nodePort(30080), ep("10.180.0.1", 8080))
                        .build()))));
        cases.add(new Case("masquerade-all-bit-5", new IptablesConfig(IpFamily.IPv4, "test-node", List.of("192.168.0.2"),
                List.of(), 5, List.of(), false, false), new NftablesOptions(true, true, null, List.of()),
                List.of(NftSyncInput.full(new StateBuilder()
                        .add(tcp("ns1", "web", "http", "172.30.0.41", 80).nodePort(30080), ep("10.180.0.1", 8080))
                        .build()))));
        cases.add(new Case("ipv6", new IptablesConfig(IpFamily.IPv6, "test-node", List.of("2001:db8::1"),
                List.of(Cidr.parse("fd00:10::/64")), 14, List.of(), false, false), NftablesOptions.DEFAULTS,
                List.of(NftSyncInput.full(new StateBuilder()
                        .add(tcp("ns1", "v6", "p80", "fd00:172:30::41", 80).nodePort(3001)
                                .loadBalancerVips(List.of("2001:db8:99::4"))
                                .loadBalancerSourceRanges(List.of("2001:db8::/64")),
                                ep("fd00:10:180::1", 80), local("fd00:10:180::2:1", 80))
                        .add(tcp("ns1", "v6-empty", "p80", "fd00:172:30::42", 80)).build()))));
        addPartialSync(cases);
        return cases;
    }

    /**
     * A full sync, then partial ones: ns1/b gains an endpoint, ns1/gone is deleted (its chains go
     * stale, its elements are deleted), ns1/new is added, ns1/sticky loses its affinity.
     */
    private static void addPartialSync(List<Case> cases) {
        StateBuilder s = new StateBuilder()
                .add(tcp("ns1", "a", "p80", "172.30.0.41", 80), ep("10.180.0.1", 80))
                .add(tcp("ns1", "b", "p80", "172.30.0.42", 80).nodePort(30042), ep("10.180.0.2", 80))
                .add(tcp("ns1", "gone", "p80", "172.30.0.43", 80).externalIps(List.of("192.168.99.43")),
                        ep("10.180.0.3", 80))
                .add(affinity(tcp("ns1", "sticky", "p80", "172.30.0.44", 80), 600), ep("10.180.0.4", 80));
        NftSyncInput first = NftSyncInput.full(s.build());
        cases.add(new Case("partial-sync-base", base(), NftablesOptions.DEFAULTS, List.of(first)));
        s.remove("ns1/gone")
                .add(tcp("ns1", "b", "p80", "172.30.0.42", 80).nodePort(30042), ep("10.180.0.2", 80), ep("10.180.0.5", 80))
                .add(tcp("ns1", "new", "p80", "172.30.0.45", 80))
                .add(tcp("ns1", "sticky", "p80", "172.30.0.44", 80), ep("10.180.0.4", 80));
        NftSyncInput second = NftSyncInput.partial(s.build(), Set.of("ns1/b", "ns1/gone", "ns1/new", "ns1/sticky"));
        cases.add(new Case("partial-sync", base(), NftablesOptions.DEFAULTS, List.of(first, second)));
        NftSyncInput nothing = NftSyncInput.partial(s.build(), Set.of());
        cases.add(new Case("partial-sync-nothing-changed", base(), NftablesOptions.DEFAULTS,
                List.of(first, second, nothing)));
    }
}
