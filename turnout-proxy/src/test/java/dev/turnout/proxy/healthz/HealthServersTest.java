package dev.turnout.proxy.healthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.IpFamily;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.FakeScheduler;
import dev.turnout.proxy.testing.Http;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServersTest {
    private final FakeScheduler clock = new FakeScheduler(Instant.parse("2024-05-01T10:00:00Z"));
    private final ProxyHealth health = new ProxyHealth(clock, Duration.ofSeconds(60));
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final ProxyHealthServer server = new ProxyHealthServer(new InetSocketAddress("127.0.0.1", 0), health, metrics);
    private ServiceHealthServer services;

    @AfterEach
    void close() {
        server.close();
        if (services != null) {
            services.close();
        }
    }

    @Test
    void healthyWhileStartingUpAndReportsNowAsLastUpdated() throws Exception {
        server.start();
        HttpResponse<String> r = Http.get(server.port(), "/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"lastUpdated\": \"2024-05-01 10:00:00 +0000 UTC\",\"currentTime\": "
                + "\"2024-05-01 10:00:00 +0000 UTC\", \"nodeEligible\": true}");
        assertThat(metrics.healthzTotal.get("200")).isEqualTo(1);
    }

    @Test
    void aQueuedUpdateOlderThanTheTimeoutMakesItUnhealthy() throws Exception {
        server.start();
        health.updated(IpFamily.IPv4);
        clock.advance(Duration.ofSeconds(1));
        health.queuedUpdate(IpFamily.IPv4);
        clock.advance(Duration.ofSeconds(59));
        assertThat(Http.get(server.port(), "/healthz").statusCode()).as("59s pending").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> r = Http.get(server.port(), "/livez");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"lastUpdated\": \"2024-05-01 10:00:00 +0000 UTC\",\"currentTime\": "
                + "\"2024-05-01 10:01:01 +0000 UTC\"}");
        health.updated(IpFamily.IPv4);
        assertThat(Http.get(server.port(), "/healthz").statusCode()).as("after the sync").isEqualTo(200);
    }

    @Test
    void aNodeTaintedForDeletionFailsHealthzButNotLivez() throws Exception {
        server.start();
        health.syncNode(new NodeBuilder().withNewMetadata().withName("n").endMetadata()
                .withNewSpec().addNewTaint().withKey("ToBeDeletedByClusterAutoscaler").withEffect("NoSchedule").endTaint()
                .endSpec().build());
        HttpResponse<String> r = Http.get(server.port(), "/healthz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).endsWith("\"nodeEligible\": false}");
        assertThat(Http.get(server.port(), "/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void serviceHealthCheckAnswersWithLocalEndpointCount() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        services = new ServiceHealthServer("127.0.0.1", () -> true);
        assertThat(services.syncServices(Map.of("ns/lb", port))).isEmpty();
        HttpResponse<String> none = Http.get(port, "/");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).isEqualTo("{\n\t\"service\": {\n\t\t\"namespace\": \"ns\",\n\t\t\"name\": \"lb\"\n\t},"
                + "\n\t\"localEndpoints\": 0,\n\t\"serviceProxyHealthy\": true\n}");
        services.syncEndpoints(Map.of("ns/lb", 2));
        HttpResponse<String> two = Http.get(port, "/healthz");
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(two.headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("2");
        assertThat(two.body()).contains("\"localEndpoints\": 2");
        services.syncServices(Map.of());
        assertThat(services.ports()).isEmpty();
    }

    @Test
    void goTimeFormatTrimsTheFraction() {
        assertThat(GoTime.format(Instant.parse("2024-05-01T10:00:00.120Z"))).isEqualTo("2024-05-01 10:00:00.12 +0000 UTC");
        assertThat(GoTime.format(null)).isEqualTo("0001-01-01 00:00:00 +0000 UTC");
    }
}
