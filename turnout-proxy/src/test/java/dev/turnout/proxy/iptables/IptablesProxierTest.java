package dev.turnout.proxy.iptables;

import static dev.turnout.proxy.testing.Fixtures.node;
import static dev.turnout.proxy.testing.Fixtures.ready;
import static dev.turnout.proxy.testing.Fixtures.service;
import static dev.turnout.proxy.testing.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.IpFamily;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.kernel.fake.FakeConntrack;
import dev.turnout.proxy.kernel.fake.FakeIptables;
import dev.turnout.proxy.kernel.fake.FakeSysctl;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.FakeScheduler;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IptablesProxierTest {
    private static final Duration SYNC_PERIOD = Duration.ofSeconds(30);

    private final FakeScheduler clock = new FakeScheduler();
    private final FakeIptables iptables = new FakeIptables();
    private final FakeConntrack conntrack = new FakeConntrack();
    private final FakeSysctl sysctl = new FakeSysctl().with(IptablesProxier.ROUTE_LOCALNET, 0);
    private final FakeCompiler compiler = new FakeCompiler();
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final ProxyHealth health = new ProxyHealth(clock, SYNC_PERIOD.multipliedBy(2));
    private IptablesProxier proxier;

    private final Service web = service("ns", "web", "10.96.0.20", 80, "TCP");
    private final Service dns = service("kube-system", "dns", "10.96.0.10", 53, "UDP");

    @BeforeEach
    void build() throws Exception {
        proxier = builder().build();
        proxier.start();
        clock.drain();
    }

    private IptablesProxierBuilder builder() {
        return IptablesProxier.builder(IptablesConfig.defaults("me"), compiler)
                .iptables(iptables).conntrack(conntrack).sysctl(sysctl).scheduler(clock)
                .options(new SyncOptions(SYNC_PERIOD, Duration.ofSeconds(1), Duration.ofHours(1), 2))
                .metrics(metrics).health(health);
    }

    private void initialSync(Service... services) {
        for (Service s : services) {
            proxier.serviceHandler().onAdd(s);
        }
        proxier.serviceHandler().onSynced();
        proxier.endpointSliceHandler().onSynced();
        clock.drain();
    }

    private void addSlice(EndpointSlice s) {
        proxier.endpointSliceHandler().onAdd(s);
    }

    @Test
    void writesNothingBeforeServicesAndSlicesHaveSynced() {
        proxier.serviceHandler().onAdd(web);
        proxier.serviceHandler().onSynced();
        addSlice(slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5"))));
        clock.advance(Duration.ofMinutes(5));
        assertThat(compiler.inputs).isEmpty();
        assertThat(iptables.restoreInputs()).isEmpty();

        proxier.endpointSliceHandler().onSynced();
        assertThat(iptables.restoreInputs()).hasSize(1);
        assertThat(compiler.last().state().services()).hasSize(1);
        assertThat(compiler.last().state().endpoints().values()).singleElement().asList().hasSize(1);
    }

    @Test
    void theFirstSyncIsFullEnsuresJumpRulesAndReadsNatChains() {
        initialSync(web);
        SyncInput in = compiler.last();
        assertThat(in.full()).isTrue();
        assertThat(in.existingNatChains()).contains("PREROUTING", "KUBE-SERVICES");
        assertThat(iptables.calls()).contains(
                "ensureChain nat KUBE-SERVICES",
                "ensureRule PREPEND nat PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "save nat",
                "restore --noflush --counters");
        assertThat(iptables.rules("filter", "FORWARD")).contains(
                "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
        assertThat(iptables.chains("nat")).contains(FakeCompiler.chainOf(compiler.last().state().services().keySet().iterator().next()));
        assertThat(metrics.iptablesRulesTotal.get("nat")).isEqualTo(1);
        assertThat(metrics.syncFullProxyRulesDuration.count()).isEqualTo(1);
    }

    @Test
    void laterSyncsArePartialAndNameTheChangedServices() {
        initialSync(web);
        iptables.clearCalls();
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        SyncInput in = compiler.last();
        assertThat(in.full()).isFalse();
        assertThat(in.changedServices()).containsExactly("kube-system/dns");
        assertThat(iptables.calls()).noneMatch(c -> c.startsWith("ensure"));
        assertThat(metrics.syncPartialProxyRulesDuration.count()).isEqualTo(1);
        assertThat(metrics.serviceChangesTotal.get()).isEqualTo(2);
    }

    @Test
    void aFailedRestoreIsRetriedAfterSyncPeriodAsAFullSync() {
        initialSync(web);
        iptables.failNextRestores(1);
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        assertThat(compiler.last().full()).isFalse();
        assertThat(metrics.iptablesRestoreFailures.get()).isEqualTo(1);
        assertThat(metrics.iptablesPartialRestoreFailures.get()).isEqualTo(1);
        int attempts = compiler.inputs.size();

        clock.advance(SYNC_PERIOD.minusSeconds(1));
        assertThat(compiler.inputs).hasSize(attempts);
        clock.advance(Duration.ofSeconds(1));
        assertThat(compiler.inputs).hasSize(attempts + 1);
        assertThat(compiler.last().full()).as("retry after failure").isTrue();
        assertThat(compiler.last().state().services()).hasSize(2);
        // built-in, the canary, top-level, one per Service
        assertThat(iptables.chains("nat")).hasSize(4 + 1 + 4 + 2);
    }

    @Test
    void aFlushOfIptablesIsNoticedWithinASyncPeriodAndRepairedByAFullSync() throws Exception {
        initialSync(web);
        for (String table : CanaryMonitor.TABLES) {
            assertThat(iptables.chains(table)).as(table).contains("KUBE-PROXY-CANARY");
        }
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        assertThat(compiler.last().full()).isFalse();
        int syncs = compiler.inputs.size();

        // a firewall reload: the canaries go with everything else
        for (String table : CanaryMonitor.TABLES) {
            iptables.deleteChain(table, "KUBE-PROXY-CANARY");
        }
        clock.advance(SYNC_PERIOD);

        assertThat(compiler.inputs.size()).isGreaterThan(syncs);
        assertThat(compiler.inputs.subList(syncs, compiler.inputs.size())).anyMatch(SyncInput::full);
        for (String table : CanaryMonitor.TABLES) {
            assertThat(iptables.chains(table)).as(table).contains("KUBE-PROXY-CANARY");
        }
    }

    @Test
    void aStoppedProxierNoLongerWatchesTheCanary() throws Exception {
        initialSync(web);
        proxier.stop();
        iptables.deleteChain("mangle", "KUBE-PROXY-CANARY");
        iptables.clearCalls();
        clock.advance(SYNC_PERIOD.multipliedBy(3));
        assertThat(iptables.calls()).noneMatch(c -> c.contains("CANARY"));
    }

    @Test
    void aCompilerThatThrowsCountsAsAFailedSync() {
        IptablesProxier broken = IptablesProxier.builder(IptablesConfig.defaults("me"), in -> {
            throw new UnsupportedOperationException("not written yet");
        }).iptables(iptables).conntrack(conntrack).sysctl(sysctl).scheduler(clock).metrics(metrics).build();
        broken.serviceHandler().onSynced();
        broken.endpointSliceHandler().onSynced();
        assertThat(iptables.restoreInputs()).isEmpty();
        assertThat(metrics.iptablesRestoreFailures.get()).isZero();
    }

    @Test
    void theFirstSyncOnceFullSyncPeriodHasPassedIsFull() {
        initialSync(web);
        int first = compiler.inputs.size();
        clock.advance(Duration.ofMinutes(59));
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        assertThat(compiler.last().full()).as("a change before the hour").isFalse();
        clock.advance(Duration.ofMinutes(1));
        List<SyncInput> later = compiler.inputs.subList(first, compiler.inputs.size());
        assertThat(later).as("periodic syncs every syncPeriod").hasSizeGreaterThan(100);
        assertThat(later.subList(0, later.size() - 1)).noneMatch(SyncInput::full);
        assertThat(later.get(later.size() - 1).full()).as("the sync at the hour").isTrue();
        proxier.serviceHandler().onDelete(dns);
        clock.advance(Duration.ofSeconds(1));
        assertThat(compiler.last().full()).as("and the next one is partial again").isFalse();
    }

    @Test
    void thePeriodicSyncRunsWithoutChanges() {
        initialSync(web);
        int before = compiler.inputs.size();
        clock.advance(SYNC_PERIOD);
        assertThat(compiler.inputs).hasSize(before + 1);
        assertThat(compiler.last().changedServices()).isEmpty();
    }

    @Test
    void aRemovedUdpEndpointHasItsConntrackFlowsDeletedAfterTheRestore() {
        initialSync(dns);
        addSlice(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.1.5"), ready("10.244.2.6"))));
        clock.advance(Duration.ofSeconds(1));
        assertThat(conntrack.calls()).as("newly active UDP service").containsExactly("-D --orig-dst 10.96.0.10 -p udp");
        conntrack.clear();

        addSlice(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.2.6"))));
        clock.advance(Duration.ofSeconds(1));
        assertThat(conntrack.calls()).containsExactly("-D --orig-dst 10.96.0.10 --dst-nat 10.244.1.5 -p udp");
    }

    @Test
    void conntrackIsLeftAloneWhenTheRestoreFails() {
        initialSync(dns);
        addSlice(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.1.5"))));
        iptables.failNextRestores(1);
        clock.drain();
        assertThat(conntrack.calls()).isEmpty();
    }

    @Test
    void startSetsRouteLocalnetForLocalhostNodePorts() {
        assertThat(sysctl.writes()).containsExactly("net/ipv4/conf/all/route_localnet=1");
    }

    @Test
    void healthIsUpdatedBySyncsAndLateWhenTheyStop() {
        initialSync(web);
        iptables.failNextRestores(100);
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        assertThat(health.health().healthy()).isTrue();
        clock.advance(SYNC_PERIOD.multipliedBy(2));
        assertThat(health.health().healthy()).isFalse();
        iptables.failNextRestores(0);
        clock.advance(SYNC_PERIOD);
        assertThat(health.health().healthy()).isTrue();
        assertThat(metrics.syncProxyRulesLastTimestamp.get()).isPositive();
    }

    @Test
    void withWaitForNodesNothingIsWrittenUntilNodesSync() throws Exception {
        IptablesProxier p = builder().waitForNodes(true).build();
        p.serviceHandler().onSynced();
        p.endpointSliceHandler().onSynced();
        assertThat(iptables.restoreInputs()).isEmpty();
        p.nodeHandler().onAdd(node("me", Map.of("topology.kubernetes.io/zone", "a")));
        p.nodeHandler().onSynced();
        assertThat(iptables.restoreInputs()).hasSize(1);
        assertThat(compiler.last().state().node().zone()).isEqualTo("a");
    }

    @Test
    void aChangedNodeLabelForcesAFullSync() {
        initialSync(web);
        proxier.nodeHandler().onAdd(node("me", Map.of("topology.kubernetes.io/zone", "a")));
        clock.drain();
        assertThat(compiler.last().full()).isTrue();
        proxier.nodeHandler().onAdd(node("someone-else", Map.of()));
        clock.advance(Duration.ofSeconds(5));
        assertThat(compiler.last().state().node().name()).isEqualTo("me");
    }

    @Test
    void cleanupRemovesEveryJumpAndEveryChainOfOurs() {
        initialSync(web, dns);
        assertThat(iptables.chains("nat")).anyMatch(c -> c.startsWith("KUBE-SVC-"));
        assertThat(proxier.cleanup()).isEmpty();
        for (String table : List.of("nat", "filter", "mangle")) {
            assertThat(iptables.chains(table)).as(table).noneMatch(c -> c.startsWith("KUBE-"));
            for (String chain : iptables.chains(table)) {
                assertThat(iptables.rules(table, chain)).as(table + " " + chain).noneMatch(r -> r.contains("KUBE-"));
            }
        }
    }
}
