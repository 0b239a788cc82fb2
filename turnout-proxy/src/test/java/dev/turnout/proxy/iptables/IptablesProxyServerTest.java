package dev.turnout.proxy.iptables;

import static dev.turnout.proxy.testing.Fixtures.ready;
import static dev.turnout.proxy.testing.Fixtures.service;
import static dev.turnout.proxy.testing.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ObjectHandler;
import dev.turnout.proxy.kernel.CommandResult;
import dev.turnout.proxy.kernel.fake.RecordingCommandRunner;
import dev.turnout.proxy.testing.Http;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The assembled process on a recording command runner: objects in, iptables-restore out, HTTP up. */
class IptablesProxyServerTest {
    /** Delivers a fixed list of objects, then the synced signals, on start. */
    static final class ListSource implements ClusterSource {
        boolean closed;

        @Override
        public void start(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices,
                ObjectHandler<Node> nodes) {
            services.onAdd(service("ns", "web", "10.96.0.20", 80, "TCP"));
            slices.onAdd(slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5"))));
            services.onSynced();
            slices.onSynced();
            nodes.onSynced();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void startsSyncsServesAndStops() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(argv -> new CommandResult(argv, 0,
                argv.get(0).equals("sysctl") ? "1\n" : "", ""));
        IptablesProxyServer.Options options = new IptablesProxyServer.Options(IptablesConfig.defaults("me"),
                new SyncOptions(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1), 2), false,
                new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), null);
        FakeCompiler compiler = new FakeCompiler();
        ListSource source = new ListSource();
        try (IptablesProxyServer server = new IptablesProxyServer(options, compiler, runner)) {
            server.start(source);
            assertThat(runner.calls()).anySatisfy(c -> {
                assertThat(c.toString()).startsWith("iptables-restore -w 5 -W 100000 --noflush --counters");
                assertThat(c.stdin()).contains("-A KUBE-SERVICES -d 10.96.0.20/32");
            });
            assertThat(Http.get(server.healthzPort(), "/healthz").statusCode()).isEqualTo(200);
            assertThat(Http.get(server.metricsPort(), "/metrics").body())
                    .contains("kubeproxy_sync_full_proxy_rules_duration_seconds_count 1");
        }
        assertThat(source.closed).isTrue();
    }
}
