package dev.turnout.cli.demo;

import dev.turnout.cli.Main;
import dev.turnout.lab.JavaCommand;
import dev.turnout.lab.LabNetwork;
import dev.turnout.lab.LabNode;
import dev.turnout.lab.LabSpec;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.CommandResult;
import dev.turnout.lab.netns.NetnsProcess;
import dev.turnout.model.manifest.ManifestWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A lab network with Services on top: each node runs {@code turnout proxy} in its namespace,
 * reading a manifests directory that the scenario writes Services and EndpointSlices into. This is
 * how the demo and the end-to-end tests drive the dataplane: objects in, rules in a real kernel,
 * packets through them.
 */
public final class ServiceLab implements AutoCloseable {
    public static final String CLUSTER_CIDR = "10.244.0.0/16";
    private static final Duration RULES_TIMEOUT = Duration.ofSeconds(30);

    private final LabNetwork network;
    private final Path manifestsDir;
    private final ManifestWriter manifests;
    private final Map<LabNode, NetnsProcess> proxies = new LinkedHashMap<>();
    private List<String> proxyExtraArgs = List.of();
    private String mode = "iptables";

    private ServiceLab(LabNetwork network, Path manifestsDir) {
        this.network = network;
        this.manifestsDir = manifestsDir;
        this.manifests = new ManifestWriter(manifestsDir);
    }

    /** Builds the namespaces of {@code nodes} nodes and the outside client. */
    public static ServiceLab up(int nodes) throws IOException {
        Path dir = Files.createTempDirectory("turnout-lab-manifests-");
        LabNetwork network = LabNetwork.up(LabSpec.singleNode().withNodes(nodes));
        return new ServiceLab(network, dir);
    }

    public LabNetwork network() {
        return network;
    }

    /** The directory every proxy (and any other follower, such as {@code turnout dns}) reads objects from. */
    public Path manifestsDir() {
        return manifestsDir;
    }

    public LabNode node(int index) {
        return network.node(index);
    }

    /** Pods running netexec (HTTP 8080, UDP 8081), on the given node. */
    public List<Pod> backends(LabNode node, String... names) {
        List<Pod> pods = new ArrayList<>();
        for (String name : names) {
            pods.add(network.addPod(name, node));
        }
        network.startNetexec(pods);
        return pods;
    }

    /** Writes (creates or replaces) objects into the manifests every proxy follows. */
    public void apply(HasMetadata... objects) throws IOException {
        manifests.write(List.of(objects));
    }

    public void delete(HasMetadata object) throws IOException {
        manifests.delete(object);
    }

    /** Starts {@code turnout proxy --mode iptables} on every node, with the node objects written first. */
    public void startProxies(String... extraArgs) throws IOException {
        startProxies("iptables", List.of(extraArgs));
    }

    /** Starts {@code turnout proxy --mode MODE} on every node, with the node objects written first. */
    public void startProxies(String mode, List<String> extraArgs) throws IOException {
        this.mode = mode;
        proxyExtraArgs = List.copyOf(extraArgs);
        for (LabNode node : network.nodes()) {
            apply(KubeObjects.node(node.name(), node.ip()));
        }
        for (LabNode node : network.nodes()) {
            startProxy(node);
        }
    }

    /** Stops the node's proxy and starts it again with other extra arguments (e.g. flags under test). */
    public NetnsProcess restartProxy(LabNode node, String... extraArgs) {
        stopProxy(node);
        proxyExtraArgs = List.of(extraArgs);
        return startProxy(node);
    }

    /** Starts (again) the node's proxy with the arguments {@link #startProxies} was given. */
    public NetnsProcess startProxy(LabNode node) {
        List<String> args = new ArrayList<>(List.of("proxy", "--mode", mode,
                "--manifests", manifestsDir.toString(), "--node-name", node.name(), "--node-ip", node.ip(),
                "--cluster-cidr", CLUSTER_CIDR, "--min-sync-period", "0s",
                "--healthz-bind-address", node.ip() + ":10256", "--metrics-bind-address", node.ip() + ":10249"));
        args.addAll(proxyExtraArgs);
        NetnsProcess p = network.startOnNode(node, JavaCommand.forMain(Main.class, args));
        proxies.put(node, p);
        return p;
    }

    public NetnsProcess proxy(LabNode node) {
        return proxies.get(node);
    }

    /** Stops the node's proxy (by PID); its rules stay in the kernel, as kube-proxy's do. */
    public void stopProxy(LabNode node) {
        NetnsProcess p = proxies.get(node);
        if (p != null) {
            p.stop();
        }
    }

    /** Runs {@code turnout proxy --cleanup} in the node's namespace and waits for it. */
    public CommandResult cleanupProxyRules(LabNode node) {
        List<String> argv = JavaCommand.forMain(Main.class, List.of("proxy", "--cleanup", "--mode", mode));
        return network.exec(node.namespace(), argv.toArray(String[]::new));
    }

    /**
     * The node's rules: in iptables mode the nat and filter tables as iptables-save prints them, with
     * counters; in nftables mode the kube-proxy table as {@code nft list table} prints it ("" if none).
     */
    public String savedRules(LabNode node) {
        if ("nftables".equals(mode)) {
            CommandResult t = network.exec(node.namespace(), "nft", "list", "table", "ip", "kube-proxy");
            return t.exitCode() == 0 ? t.stdout() : "";
        }
        CommandResult r = network.exec(node.namespace(), "iptables-save", "-c");
        return r.orThrow().stdout();
    }

    /** Waits until every node's saved rules satisfy {@code ready}; fails with the proxy logs if not. */
    public void awaitRules(String what, Predicate<String> ready) {
        long deadline = System.nanoTime() + RULES_TIMEOUT.toNanos();
        for (LabNode node : network.nodes()) {
            while (!ready.test(savedRules(node))) {
                NetnsProcess proxy = proxies.get(node);
                if (System.nanoTime() > deadline || (proxy != null && !proxy.isAlive())) {
                    throw new IllegalStateException("rules for " + what + " did not appear on " + node.name()
                            + " within " + RULES_TIMEOUT.toSeconds() + " s; proxy "
                            + (proxy == null ? "not started" : (proxy.isAlive() ? "running" : "exited") + ", log:\n"
                            + proxy.output()) + "\nrules:\n" + savedRules(node));
                }
                sleep(50);
            }
        }
    }

    /** Waits until the rules mention {@code text} (a chain name, an IP, a comment) on every node. */
    public void awaitRulesContaining(String text) {
        awaitRules("\"" + text + "\"", rules -> rules.contains(text));
    }

    /**
     * Waits until every node's proxy log holds {@code text} at least {@code times} times (the
     * userspace mode logs each listener and backend change); fails with the logs if not.
     */
    public void awaitProxyLog(String text, int times) {
        long deadline = System.nanoTime() + RULES_TIMEOUT.toNanos();
        for (LabNode node : network.nodes()) {
            NetnsProcess proxy = proxies.get(node);
            if (proxy == null) {
                throw new IllegalStateException("no proxy on " + node.name());
            }
            while (count(proxy.output(), text) < times) {
                if (System.nanoTime() > deadline || !proxy.isAlive()) {
                    throw new IllegalStateException("\"" + text + "\" did not appear " + times + " time(s) in the proxy log on "
                            + node.name() + " within " + RULES_TIMEOUT.toSeconds() + " s; proxy "
                            + (proxy.isAlive() ? "running" : "exited") + ", log:\n" + proxy.output());
                }
                sleep(50);
            }
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            proxies.values().forEach(NetnsProcess::stop);
            network.close();
        } finally {
            try (var files = Files.walk(manifestsDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind holds only YAML; nothing on the machine depends on it
            }
        }
    }
}
