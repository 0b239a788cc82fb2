package dev.turnout.cli.e2e;

import static dev.turnout.cli.e2e.E2eAssertions.counts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.NetnsProcess;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The dataplane scenarios with {@code turnout proxy --mode userspace}: the proxy runs as root in
 * the node namespace, puts Service IPs on its dummy interface there, and relays pods' TCP and UDP
 * to netexec pods. There are no rules to wait for: {@link #awaitRules} reads the proxy's log
 * (each listener opened or closed, each backend set's new endpoints) into a listing in the
 * suite's iptables terms. A pod reaching itself through its Service sees the node IP here too:
 * the proxy's own connection comes from the node. Scenarios that need the client's own source
 * address or conntrack are skipped, with the reason.
 */
class UserspaceDataplaneE2ETest extends DataplaneE2ETest {
    @Override
    String mode() {
        return "userspace";
    }

    @Override
    List<String> proxyArgs() {
        return List.of("--userspace-addresses", "dummy", "--udp-timeout", "2s");
    }

    @Override
    boolean supports(Feature feature) {
        return false;
    }

    @Override
    String unsupportedReason(Feature feature) {
        return "userspace mode relays in user space: " + switch (feature) {
            case SOURCE_RANGES -> "it does not implement loadBalancerSourceRanges (a listener accepts every source)";
            case CONNTRACK -> "its flows are sessions in the proxy, not conntrack entries";
        };
    }

    @Override
    void awaitRules(String what, Predicate<String> ready) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (LabNode n : lab.network().nodes()) {
            NetnsProcess proxy = lab.proxy(n);
            while (!ready.test(listing(proxy.output()))) {
                if (System.nanoTime() > deadline || !proxy.isAlive()) {
                    throw new IllegalStateException("state for " + what + " did not appear on " + n.name()
                            + "; proxy " + (proxy.isAlive() ? "running" : "exited") + ", listing:\n"
                            + listing(proxy.output()) + "\nlog:\n" + proxy.output());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private void awaitRulesContainingAll(String marker) {
        awaitRules("\"" + marker + "\"", r -> r.contains(marker));
    }

    /**
     * The proxy's current state from its log, one line each: "listen KEY SET" per open listener;
     * for a listener's Service port "NS/SVC:PORT cluster IP" (internal set) or "... loadbalancer IP"
     * and "... external IP" (external set) and "NS/SVC:PORT -> IP:PORT" per endpoint; "NS/SVC:PORT
     * has no endpoints" when its internal set's last backends were none; "kubernetes service
     * nodeports" once the proxy has started.
     */
    static String listing(String log) {
        Map<String, String> backends = new LinkedHashMap<>();
        Map<String, String> listening = new TreeMap<>();
        boolean started = false;
        for (String line : log.lines().toList()) {
            int i;
            if ((i = line.indexOf("backends of ")) >= 0) {
                String rest = line.substring(i + "backends of ".length());
                int c = rest.lastIndexOf(": [");
                if (c >= 0) {
                    backends.put(rest.substring(0, c), rest.substring(c + 2).trim());
                }
            } else if ((i = line.indexOf("stopped listening on ")) >= 0) {
                listening.remove(line.substring(i + "stopped listening on ".length()).trim());
            } else if ((i = line.indexOf("listening on ")) >= 0) {
                String rest = line.substring(i + "listening on ".length());
                int f = rest.indexOf(" for ");
                if (f >= 0) {
                    listening.put(rest.substring(0, f), rest.substring(f + " for ".length()).trim());
                }
            } else if (line.contains("userspace proxy started")) {
                started = true;
            }
        }
        List<String> out = new ArrayList<>();
        listening.forEach((key, set) -> {
            String port = portOf(set);
            out.add("listen " + key + " " + set);
            if (set.endsWith(" (internal)")) {
                out.add(port + " cluster IP");
            } else {
                out.add(port + " loadbalancer IP");
                out.add(port + " external IP");
            }
            String eps = backends.getOrDefault(set, "[]");
            for (String ep : eps.substring(1, eps.length() - 1).split(", ")) {
                if (!ep.isBlank()) {
                    out.add(port + " -> " + ep);
                }
            }
        });
        backends.forEach((set, eps) -> {
            if (set.endsWith(" (internal)") && eps.equals("[]")) {
                out.add(portOf(set) + " has no endpoints");
            }
        });
        if (started) {
            out.add("kubernetes service nodeports");
        }
        return String.join("\n", out) + "\n";
    }

    private static String portOf(String set) {
        int p = set.lastIndexOf(" (");
        return p < 0 ? set : set.substring(0, p);
    }

    /** The Service address lives on the node (on the dummy interface), not in any rule. */
    @Test
    void theServiceAddressIsOnTheNodeAndInNoRule() throws Exception {
        Service svc = KubeObjects.service("us-addr", "10.96.0.40", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("us-addr", web, 8080));
        awaitRulesContainingAll("default/us-addr:http cluster IP");

        assertThat(counts(lab.network().httpBodies(client.namespace(), "10.96.0.40", 80, "/hostname", 30)))
                .containsOnlyKeys("web-1", "web-2", "web-3");
        String addrs = lab.network().exec(node.namespace(), "ip", "-o", "addr", "show", "to", "10.96.0.40/32")
                .orThrow().stdout();
        assertThat(addrs).contains("10.96.0.40/32");
        assertThat(lab.network().exec(node.namespace(), "iptables-save", "-t", "nat").stdout())
                .doesNotContain("10.96.0.40");
    }

    @Test
    void removedEndpointFinishesItsConnectionWhileNewOnesAvoidIt() throws Exception {
        Service svc = KubeObjects.service("us-drain", "10.96.0.41", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("us-drain", web, 8080));
        awaitRulesContainingAll("default/us-drain:http cluster IP");

        Path go = Files.createTempFile("turnout-e2e-go-", "");
        Files.delete(go);
        // One keep-alive connection: a request, a wait for our signal, a second request on it.
        String script = String.join("\n",
                "exec 3<>/dev/tcp/10.96.0.41/80",
                "req() {",
                "  printf 'GET /hostname HTTP/1.1\\r\\nHost: us-drain\\r\\n\\r\\n' >&3",
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

            lab.apply(KubeObjects.slice("us-drain", rest, 8080));
            awaitRules(first + " gone from us-drain",
                    r -> !r.contains("default/us-drain:http -> " + removed.ip() + ":8080"));

            List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.41", 80, "/hostname", 40);
            assertThat(counts(bodies)).doesNotContainKey(first)
                    .containsOnlyKeys(rest.stream().map(Pod::name).toArray(String[]::new));

            Files.createFile(go);
            assertThat(awaitBody(held, 2)).as("the established connection still reaches its endpoint").isEqualTo(first);
        } finally {
            held.stop();
            Files.deleteIfExists(go);
        }
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
