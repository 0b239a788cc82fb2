package dev.turnout.proxy.nftables;

import static dev.turnout.proxy.testing.Fixtures.ready;
import static dev.turnout.proxy.testing.Fixtures.service;
import static dev.turnout.proxy.testing.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.kernel.fake.FakeConntrack;
import dev.turnout.proxy.kernel.fake.FakeNft;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.FakeScheduler;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NftablesProxierTest {
    private static final Duration SYNC_PERIOD = Duration.ofSeconds(30);

    private final FakeScheduler clock = new FakeScheduler();
    private final FakeNft nft = new FakeNft();
    private final ProxyMetrics metrics = ProxyMetrics.forNftables();
    private final ProxyHealth health = new ProxyHealth(clock, SYNC_PERIOD.multipliedBy(2));
    private NftablesProxier proxier;

    private final Service web = service("ns", "web", "10.96.0.20", 80, "TCP");
    private final Service dns = service("kube-system", "dns", "10.96.0.10", 53, "UDP");

    @BeforeEach
    void build() {
        IptablesConfig config = IptablesConfig.defaults("me");
        proxier = new NftablesProxier(new NftablesProxier.Parts(config, new NftablesCompiler(config), nft,
                new FakeConntrack(), clock, new SyncOptions(SYNC_PERIOD, Duration.ofSeconds(1), Duration.ofHours(1), 2),
                metrics, health, null, false));
        proxier.start();
        clock.drain();
    }

    private void initialSync(Service... services) {
        for (Service s : services) {
            proxier.serviceHandler().onAdd(s);
        }
        proxier.serviceHandler().onSynced();
        proxier.endpointSliceHandler().onSynced();
        clock.drain();
    }

    private String last() {
        List<String> all = nft.transactions();
        return all.get(all.size() - 1);
    }

    @Test
    void theFirstSyncIsFullAndReadsTheTableOnce() {
        initialSync(web);
        assertThat(nft.transactions()).hasSize(1);
        assertThat(last()).startsWith("add table ip kube-proxy").contains("flush map ip kube-proxy service-ips",
                "add element ip kube-proxy no-endpoint-services { 10.96.0.20 . tcp . 80 comment \"ns/web:p\" : goto reject-chain }");
        assertThat(nft.lists()).isEqualTo(1);
        assertThat(proxier.fullSyncs()).isEqualTo(1);
    }

    @Test
    void laterSyncsWriteOnlyTheChangedServiceAndReadNothing() {
        initialSync(web);
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        assertThat(nft.transactions()).hasSize(2);
        assertThat(last()).doesNotContain("add table", "flush map", "10.96.0.20")
                .contains("add element ip kube-proxy cluster-ips { 10.96.0.10 }");
        proxier.endpointSliceHandler().onAdd(slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5"))));
        clock.advance(Duration.ofSeconds(2));
        assertThat(last()).doesNotContain("10.96.0.10")
                .contains("delete element ip kube-proxy no-endpoint-services { 10.96.0.20 . tcp . 80 }",
                        "dnat to 10.244.1.5:80");
        assertThat(nft.lists()).isEqualTo(1);
        assertThat(proxier.fullSyncs()).isEqualTo(1);
    }

    @Test
    void aFailedTransactionMakesTheNextSyncFull() {
        initialSync(web);
        nft.failNext(1);
        proxier.serviceHandler().onAdd(dns);
        clock.drain();
        assertThat(nft.transactions()).hasSize(1);
        clock.advance(SYNC_PERIOD);
        assertThat(nft.transactions()).hasSize(2);
        assertThat(last()).startsWith("add table").contains("10.96.0.10", "10.96.0.20");
        assertThat(nft.lists()).isEqualTo(2);
        assertThat(metrics.nftablesSyncFailures.get()).isEqualTo(1);
        assertThat(metrics.scrape()).contains("kubeproxy_sync_proxy_rules_nftables_sync_failures_total 1")
                .doesNotContain("iptables");
    }

    @Test
    void staleChainsAreFlushedAtOnceAndDeletedASecondLater() {
        initialSync(web);
        proxier.endpointSliceHandler().onAdd(slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5"))));
        clock.advance(Duration.ofSeconds(2));
        assertThat(nft.chainNames()).anyMatch(c -> c.startsWith("endpoint-"));
        proxier.serviceHandler().onDelete(web);
        clock.advance(Duration.ofSeconds(2));
        assertThat(last()).contains("flush chain ip kube-proxy service-", "delete element ip kube-proxy service-ips");
        proxier.serviceHandler().onAdd(dns);
        clock.advance(Duration.ofSeconds(2));
        assertThat(nft.transactions()).anyMatch(t -> t.startsWith("delete chain ip kube-proxy endpoint-"));
        assertThat(nft.chainNames()).noneMatch(c -> c.contains("ns/web"));
        assertThat(nft.lists()).isEqualTo(1);
    }

    @Test
    void cleanupDeletesTheTable() {
        initialSync(web);
        assertThat(NftablesProxier.cleanup(nft)).isEmpty();
        assertThat(nft.chainNames()).isEmpty();
    }
}
