package dev.turnout.proxy.metrics;

import java.time.Instant;
import java.util.List;

/**
 * kube-proxy's metrics (pkg/proxy/metrics), same names, types, labels and buckets, in one instance
 * per proxy process rather than a global registry.
 */
public final class ProxyMetrics {
    private static final double[] SYNC_BUCKETS = Histogram.exponentialBuckets(0.001, 2, 15);

    public final Histogram syncProxyRulesDuration = new Histogram("kubeproxy_sync_proxy_rules_duration_seconds",
            "SyncProxyRules latency in seconds", SYNC_BUCKETS);
    public final Histogram syncFullProxyRulesDuration = new Histogram(
            "kubeproxy_sync_full_proxy_rules_duration_seconds",
            "SyncProxyRules latency in seconds for full resyncs", SYNC_BUCKETS);
    public final Histogram syncPartialProxyRulesDuration = new Histogram(
            "kubeproxy_sync_partial_proxy_rules_duration_seconds",
            "SyncProxyRules latency in seconds for partial resyncs", SYNC_BUCKETS);
    public final Gauge syncProxyRulesLastTimestamp = new Gauge("kubeproxy_sync_proxy_rules_last_timestamp_seconds",
            "The last time proxy rules were successfully synced");
    public final Gauge syncProxyRulesLastQueuedTimestamp = new Gauge(
            "kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds",
            "The last time a sync of proxy rules was queued");
    public final Gauge iptablesRulesTotal = new Gauge("kubeproxy_sync_proxy_rules_iptables_total",
            "Total number of iptables rules owned by kube-proxy", "table");
    public final Gauge iptablesRulesLastSync = new Gauge("kubeproxy_sync_proxy_rules_iptables_last",
            "Number of iptables rules written by kube-proxy in last sync", "table");
    public final Counter iptablesRestoreFailures = new Counter(
            "kubeproxy_sync_proxy_rules_iptables_restore_failures_total",
            "Cumulative proxy iptables restore failures");
    public final Counter iptablesPartialRestoreFailures = new Counter(
            "kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total",
            "Cumulative proxy iptables partial restore failures");
    public final Counter serviceChangesTotal = new Counter("kubeproxy_sync_proxy_rules_service_changes_total",
            "Cumulative proxy rules Service changes");
    public final Gauge serviceChangesPending = new Gauge("kubeproxy_sync_proxy_rules_service_changes_pending",
            "Pending proxy rules Service changes");
    public final Counter endpointChangesTotal = new Counter("kubeproxy_sync_proxy_rules_endpoint_changes_total",
            "Cumulative proxy rules Endpoint changes");
    public final Gauge endpointChangesPending = new Gauge("kubeproxy_sync_proxy_rules_endpoint_changes_pending",
            "Pending proxy rules Endpoint changes");
    public final Gauge noLocalEndpointsTotal = new Gauge("kubeproxy_sync_proxy_rules_no_local_endpoints_total",
            "Number of services with a Local traffic policy and no endpoints", "traffic_policy");
    public final Counter healthzTotal = new Counter("kubeproxy_proxy_healthz_total",
            "Cumulative proxy healthz HTTP status", "code");
    public final Counter livezTotal = new Counter("kubeproxy_proxy_livez_total",
            "Cumulative proxy livez HTTP status", "code");

    /** nftables mode only, as upstream registers it. */
    public final Counter nftablesSyncFailures = new Counter("kubeproxy_sync_proxy_rules_nftables_sync_failures_total",
            "Cumulative proxy nftables sync failures");
    /** nftables mode only, as upstream registers it. */
    public final Counter nftablesCleanupFailures = new Counter(
            "kubeproxy_sync_proxy_rules_nftables_cleanup_failures_total",
            "Cumulative proxy nftables cleanup failures");

    private final List<Collector> all;

    /** The metrics of iptables mode. */
    public ProxyMetrics() {
        this(false);
    }

    private ProxyMetrics(boolean nftables) {
        List<Collector> common = List.of(syncProxyRulesDuration, syncFullProxyRulesDuration,
                syncPartialProxyRulesDuration, syncProxyRulesLastTimestamp, syncProxyRulesLastQueuedTimestamp,
                serviceChangesTotal, serviceChangesPending, endpointChangesTotal, endpointChangesPending,
                noLocalEndpointsTotal, healthzTotal, livezTotal);
        List<Collector> mode = nftables ? List.of(nftablesSyncFailures, nftablesCleanupFailures)
                : List.of(iptablesRulesTotal, iptablesRulesLastSync, iptablesRestoreFailures,
                        iptablesPartialRestoreFailures);
        List<Collector> both = new java.util.ArrayList<>(common);
        both.addAll(mode);
        this.all = List.copyOf(both);
    }

    /** The metrics of nftables mode: the common ones and the nftables failure counters. */
    public static ProxyMetrics forNftables() {
        return new ProxyMetrics(true);
    }

    /** Seconds since the epoch with sub-second precision, as Gauge.SetToCurrentTime. */
    public static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** Every metric in the Prometheus text format, sorted by name as client_golang does. */
    public String scrape() {
        StringBuilder out = new StringBuilder();
        all.stream().sorted(java.util.Comparator.comparing(Collector::name)).forEach(c -> c.writeTo(out));
        return out.toString();
    }
}
