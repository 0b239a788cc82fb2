package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.NetnsProcess;
import dev.turnout.lab.stats.ChiSquare;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The userspace dataplane end to end: {@code turnout proxy --mode userspace} runs as root in the
 * node namespace, puts Service IPs on its dummy interface there, and relays pods' TCP and UDP to
 * netexec pods. No iptables rule is involved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserspaceDataplaneE2ETest {
    private ServiceLab lab;
    private List<Pod> web;
    private Pod client;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(1);
        web = lab.backends(lab.node(1), "web-1", "web-2", "web-3");
        client = lab.network().addPod("client", lab.node(1));
        lab.startProxies("userspace", List.of("--userspace-addresses", "dummy", "--udp-timeout", "2s"));
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Map<String, Long> counts(List<String> bodies) {
        return bodies.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private void awaitListening(String protocol, String ipPort) {
        lab.awaitProxyLog("listening on " + protocol + " " + ipPort + " ", 1);
    }

    @Test
    void clusterIpFromAPodSpreadsOverThreeEndpoints() throws Exception {
        Service svc = KubeObjects.service("web", "10.96.0.10", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("web", web, 8080));
        awaitListening("TCP", "10.96.0.10:80");
        lab.awaitProxyLog("backends of default/web:http (internal): [10.", 1);

        List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.10", 80, "/hostname", 300);

        Map<String, Long> counts = counts(bodies);
        assertThat(counts).containsOnlyKeys("web-1", "web-2", "web-3");
        ChiSquare chi = ChiSquare.uniform(counts.values());
        assertThat(chi.looksUniform(0.001)).as("%s for %s", chi, counts).isTrue();
        // The Service address lives on the node (turnout0, or lo without a dummy driver), not in any rule.
        String addrs = lab.network().exec(lab.node(1).namespace(), "ip", "-o", "addr", "show", "to", "10.96.0.10/32")
                .orThrow().stdout();
        assertThat(addrs).contains("10.96.0.10/32");
        assertThat(lab.network().exec(lab.node(1).namespace(), "iptables-save", "-t", "nat").stdout())
                .doesNotContain("10.96.0.10");
    }

    @Test
    void udpClusterIpFromAPod() throws Exception {
        Service svc = new ServiceBuilder(KubeObjects.service("dns", "10.96.0.20", 53, 8081).build())
                .editSpec().withPorts(new ServicePortBuilder().withName("udp").withProtocol("UDP").withPort(53)
                        .withTargetPort(new IntOrString(8081)).build()).endSpec().build();
        lab.apply(svc, KubeObjects.slice("dns", web, Map.of("udp", 8081)));
        awaitListening("UDP", "10.96.0.20:53");
        lab.awaitProxyLog("backends of default/dns:udp (internal): [10.", 1);

        List<String> bodies = lab.network().udpBodies(client.namespace(), "10.96.0.20", 53, "hostname", 60);

        // Each request comes from a new client socket, so a new session: they spread too.
        assertThat(counts(bodies)).containsOnlyKeys("web-1", "web-2", "web-3");
    }

    @Test
    void clientIpAffinityKeepsAPodOnOneEndpoint() throws Exception {
        Service svc = new ServiceBuilder(KubeObjects.service("sticky", "10.96.0.11", 80, 8080).build())
                .editSpec().withSessionAffinity("ClientIP").endSpec().build();
        lab.apply(svc, KubeObjects.slice("sticky", web, 8080));
        awaitListening("TCP", "10.96.0.11:80");
        lab.awaitProxyLog("backends of default/sticky:http (internal): [10.", 1);

        List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.11", 80, "/hostname", 30);

        assertThat(counts(bodies)).hasSize(1);
        assertThat(bodies.get(0)).isIn("web-1", "web-2", "web-3");
    }

    @Test
    void removedEndpointFinishesItsConnectionWhileNewOnesAvoidIt() throws Exception {
        Service svc = KubeObjects.service("drain", "10.96.0.12", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("drain", web, 8080));
        awaitListening("TCP", "10.96.0.12:80");
        lab.awaitProxyLog("backends of default/drain:http (internal): [10.", 1);

        Path go = Files.createTempFile("turnout-e2e-go-", "");
        Files.delete(go);
        // One keep-alive connection: a request, a wait for our signal, a second request on it.
        String script = String.join("\n",
                "exec 3<>/dev/tcp/10.96.0.12/80",
                "req() {",
                "  printf 'GET /hostname HTTP/1.1\\r\\nHost: drain\\r\\n\\r\\n' >&3",
                "  len=0",
                "  while IFS= read -r line <&3; do",
                "    line=${line%$'\\r'}",
                "    [ -z \"$line\" ] && break",
                "    case \"${line,,}\" in content-length:*) len=${line#*: } ;; esac",
                "  done",
                "  echo \"body:$(head -c \"$len\" <&3)\"",
                "}",
                "req",
                "while [ ! -e " + go + " ]; do sleep 0.05; done",
                "req",
                "");
        NetnsProcess held = lab.network().startInPod(client, List.of("bash", "-c", script));
        try {
            String first = awaitBody(held, 1);
            Pod removed = web.stream().filter(p -> p.name().equals(first)).findFirst().orElseThrow();
            List<Pod> rest = web.stream().filter(p -> p != removed).toList();

            lab.apply(KubeObjects.slice("drain", rest, 8080));
            lab.awaitProxyLog("backends of default/drain:http (internal): [10.", 2);

            List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.12", 80, "/hostname", 40);
            assertThat(counts(bodies)).doesNotContainKey(first)
                    .containsOnlyKeys(rest.stream().map(Pod::name).toArray(String[]::new));

            Files.createFile(go);
            assertThat(awaitBody(held, 2)).as("the established connection still reaches its endpoint").isEqualTo(first);
        } finally {
            held.stop();
            Files.deleteIfExists(go);
        }
    }

    @Test
    void serviceWithoutEndpointsRefusesAtOnce() throws Exception {
        lab.apply(KubeObjects.service("empty", "10.96.0.13", 80, 8080).build());
        lab.awaitProxyLog("backends of default/empty:http (internal): []", 1);

        List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.13", 80, "/hostname", 3);

        // The address is on turnout0 but nothing listens: the kernel answers the SYN with a reset.
        assertThat(bodies).allSatisfy(b -> assertThat(b).startsWith("ERR:").containsIgnoringCase("refused"));
    }

    /** The n-th "body:" line the held client printed. */
    private static String awaitBody(NetnsProcess p, int n) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> lines = p.output().lines().filter(l -> l.startsWith("body:")).toList();
            if (lines.size() >= n) {
                return lines.get(n - 1).substring("body:".length());
            }
            if (System.nanoTime() > deadline || (!p.isAlive() && lines.size() < n)) {
                throw new AssertionError("no body #" + n + " from the held connection; output:\n" + p.output());
            }
            Thread.sleep(50);
        }
    }
}
