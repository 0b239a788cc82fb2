package dev.turnout.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.proxy.testing.Http;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void scrapesKubeProxyMetricsOverHttp() throws Exception {
        ProxyMetrics m = new ProxyMetrics();
        m.syncProxyRulesDuration.observe(0.003);
        m.iptablesRulesTotal.set(12, "nat");
        m.iptablesRulesTotal.set(4, "filter");
        m.iptablesRestoreFailures.inc();
        m.noLocalEndpointsTotal.set(1, "external");
        m.syncProxyRulesLastTimestamp.set(1714557600.25);
        try (MetricsServer server = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), m::scrape)) {
            server.start();
            HttpResponse<String> r = Http.get(server.port(), "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(r.body()).contains(
                    "# TYPE kubeproxy_sync_proxy_rules_duration_seconds histogram\n",
                    "kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"0.002\"} 0\n",
                    "kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"0.004\"} 1\n",
                    "kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"16.384\"} 1\n",
                    "kubeproxy_sync_proxy_rules_duration_seconds_bucket{le=\"+Inf\"} 1\n",
                    "kubeproxy_sync_proxy_rules_duration_seconds_count 1\n",
                    "kubeproxy_sync_proxy_rules_iptables_total{table=\"filter\"} 4\n",
                    "kubeproxy_sync_proxy_rules_iptables_total{table=\"nat\"} 12\n",
                    "kubeproxy_sync_proxy_rules_iptables_restore_failures_total 1\n",
                    "kubeproxy_sync_proxy_rules_iptables_partial_restore_failures_total 0\n",
                    "kubeproxy_sync_proxy_rules_no_local_endpoints_total{traffic_policy=\"external\"} 1\n",
                    "kubeproxy_sync_proxy_rules_last_timestamp_seconds 1.71455760025e+09\n",
                    "# TYPE kubeproxy_sync_full_proxy_rules_duration_seconds histogram\n",
                    "# TYPE kubeproxy_sync_partial_proxy_rules_duration_seconds histogram\n",
                    "kubeproxy_sync_proxy_rules_service_changes_total 0\n",
                    "kubeproxy_sync_proxy_rules_endpoint_changes_total 0\n",
                    "kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds 0\n");
            assertThat(Http.get(server.port(), "/other").statusCode()).isEqualTo(404);
        }
    }
}
