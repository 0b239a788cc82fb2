package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.Main;
import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.JavaCommand;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.CommandResult;
import dev.turnout.lab.netns.NetnsProcess;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cluster DNS end to end: {@code turnout dns} runs in the node namespace on the node's address,
 * following the same manifests as {@code turnout proxy}. A pod whose resolv.conf is the one
 * kubelet writes (search path, ndots:5; via /etc/netns/POD/resolv.conf, which {@code ip netns exec}
 * mounts) finds {@code example-svc} by its short name and reaches it through the proxy; a headless
 * Service lists its pods, and after a pod is replaced the answer follows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterDnsE2ETest {
    private static final long DEADLINE_MS = 60_000;
    private ServiceLab lab;
    private LabNode node;
    private List<Pod> web;
    private Pod client;
    private NetnsProcess dns;
    private Path resolvDir;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(1);
        node = lab.node(1);
        web = lab.backends(node, "web-1", "web-2", "web-3");
        client = lab.network().addPod("client", node);
        lab.apply(KubeObjects.service("example-svc", "10.96.0.10", 80, 8080).build(),
                KubeObjects.slice("example-svc", web, 8080));
        lab.startProxies();
        dns = lab.network().startOnNode(node, JavaCommand.forMain(Main.class, List.of("dns",
                "--manifests", lab.manifestsDir().toString(), "--listen", node.ip() + ":53",
                "--http-listen", node.ip() + ":9153")));
        resolvDir = Path.of("/etc/netns", client.namespace());
        Files.createDirectories(resolvDir);
        // what kubelet writes for a ClusterFirst pod in namespace default
        Files.writeString(resolvDir.resolve("resolv.conf"), "search default.svc.cluster.local svc.cluster.local cluster.local\n"
                + "nameserver " + node.ip() + "\noptions ndots:5\n");
        lab.awaitRulesContaining("default/example-svc:http cluster IP");
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!getent("example-svc").contains("10.96.0.10")) {
            assertThat(dns.isAlive()).as("turnout dns exited:\n%s", dns.output()).isTrue();
            assertThat(System.currentTimeMillis()).as("dns never answered; log:\n%s", dns.output()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    void down() throws IOException {
        try {
            if (resolvDir != null) {
                Files.deleteIfExists(resolvDir.resolve("resolv.conf"));
                Files.deleteIfExists(resolvDir);
            }
        } finally {
            if (lab != null) {
                lab.close(); // stops turnout dns and the proxies by PID, deletes the namespaces
            }
        }
    }

    /** The IPv4 addresses glibc resolves for {@code name} inside the client pod, sorted. */
    private Set<String> getent(String name) {
        CommandResult r = lab.network().exec(client.namespace(), "getent", "ahostsv4", name);
        return Arrays.stream(r.stdout().split("\n")).filter(l -> !l.isBlank()).map(l -> l.split("\\s+")[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aPodFindsExampleSvcByShortNameAndConnectsThroughTheProxy() {
        List<String> argv = new ArrayList<>(JavaCommand.forMain(ResolveAndGet.class, List.of("example-svc", "80", "30")));
        CommandResult r = lab.network().exec(client.namespace(), argv.toArray(String[]::new));
        String out = r.orThrow().stdout();
        assertThat(out).contains("resolved 10.96.0.10");
        Set<String> bodies = out.lines().filter(l -> l.startsWith("body ")).map(l -> l.substring(5))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(out.lines().filter(l -> l.startsWith("body ")).count()).isEqualTo(30);
        assertThat(bodies).isSubsetOf("web-1", "web-2", "web-3").hasSizeGreaterThan(1);
    }

    @Test
    void headlessServiceListsItsPodsAndFollowsAReplacement() throws Exception {
        Pod p1 = lab.network().addPod("peer-1", node);
        Pod p2 = lab.network().addPod("peer-2", node);
        Service peers = new ServiceBuilder().withNewMetadata().withName("peers").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP("None").withClusterIPs("None")
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(2552).build())
                .endSpec().build();
        lab.apply(peers, KubeObjects.slice("peers", List.of(p1, p2), 2552));
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!getent("peers").equals(new TreeSet<>(Set.of(p1.ip(), p2.ip())))) {
            assertThat(System.currentTimeMillis()).as("peers never resolved; dns log:\n%s", dns.output()).isLessThan(deadline);
            Thread.sleep(50);
        }
        // the pod is replaced: peer-2 goes, peer-3 comes with a new IP, the slice says so
        lab.network().removePod(p2);
        Pod p3 = lab.network().addPod("peer-3", node);
        long written = System.nanoTime();
        lab.apply(KubeObjects.slice("peers", List.of(p1, p3), 2552));
        Set<String> want = new TreeSet<>(Set.of(p1.ip(), p3.ip()));
        while (!getent("peers").equals(want)) {
            assertThat(System.currentTimeMillis()).as("the replacement never showed").isLessThan(deadline);
            Thread.sleep(20);
        }
        long ms = (System.nanoTime() - written) / 1_000_000;
        System.out.println("headless answer followed the replacement " + ms + " ms after the slice was written");
        CommandResult srv = lab.network().exec(client.namespace(), "dig", "+search", "+short", "_http._tcp.peers", "SRV");
        assertThat(srv.stdout()).contains(p3.ip().replace('.', '-') + ".peers.default.svc.cluster.local.");
    }
}
