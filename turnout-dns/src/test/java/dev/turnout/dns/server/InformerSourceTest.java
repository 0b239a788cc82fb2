package dev.turnout.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.kubernetes.TestCluster;
import dev.turnout.dns.source.InformerSource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The live source: Services and EndpointSlices from an API server (fabric8's mock in CRUD mode), followed by watch. */
@EnableKubernetesMockClient(crud = true)
class InformerSourceTest {
    KubernetesClient client;

    @Test
    void servesWhatTheApiServerHoldsAndFollowsChanges() throws Exception {
        TestCluster.services().forEach(s -> client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).create());
        TestCluster.slices().forEach(s -> client.discovery().v1().endpointSlices()
                .inNamespace(s.getMetadata().getNamespace()).resource(s).create());
        DnsConfig config = DnsConfig.defaults(new InetSocketAddress("127.0.0.1", 0));
        try (DnsServer server = new DnsServer(config).start(new InformerSource(client, System.err::println))) {
            InetSocketAddress a = server.udpAddress();
            await(() -> server.index().synced());
            assertThat(Dig.section(Dig.run(a, "svc1.testns.svc.cluster.local", "A"), "ANSWER"))
                    .containsExactly("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1");
            assertThat(Dig.section(Dig.run(a, "hdls1.testns.svc.cluster.local", "A"), "ANSWER")).hasSize(4);

            client.services().inNamespace("testns").resource(new ServiceBuilder().withNewMetadata().withName("late")
                    .withNamespace("testns").endMetadata().withNewSpec().withClusterIP("10.0.0.99")
                    .withClusterIPs("10.0.0.99").endSpec().build()).create();
            await(() -> server.index().service("testns", "late") != null);
            assertThat(Dig.section(Dig.run(a, "late.testns.svc.cluster.local", "A"), "ANSWER"))
                    .containsExactly("late.testns.svc.cluster.local. 5 IN A 10.0.0.99");

            client.services().inNamespace("testns").withName("svc1").delete();
            await(() -> server.index().service("testns", "svc1") == null);
            assertThat(Dig.status(Dig.run(a, "svc1.testns.svc.cluster.local", "A"))).isEqualTo("NXDOMAIN");
        }
    }

    private static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        for (int i = 0; i < 300 && !cond.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(cond.getAsBoolean()).as("condition within 15 s").isTrue();
    }
}
