package dev.turnout.lab;

import dev.turnout.lab.netexec.DialResult;
import dev.turnout.lab.netexec.Netexec;
import dev.turnout.lab.netexec.NetexecOptions;
import dev.turnout.lab.netns.CommandResult;
import dev.turnout.lab.netns.CommandRunner;
import dev.turnout.lab.netns.HostCommandRunner;
import dev.turnout.lab.netns.Netns;
import dev.turnout.lab.netns.NetnsProcess;
import dev.turnout.model.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster's network made of Linux network namespaces: nodes and an outside client on an underlay
 * bridge, pods joined point-to-point to their node. Layout and addresses: {@link LabSpec}; wiring:
 * {@link LabWiring}. Everything created is recorded before it is created, so {@link #close()} removes
 * exactly that (processes by PID, then namespaces, which take their links along), also after a failure
 * halfway through {@link #create()}, and a shutdown hook does the same if the JVM exits first.
 */
public final class LabNetwork implements AutoCloseable {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PORT_TIMEOUT = Duration.ofSeconds(20);

    private final LabSpec spec;
    private final Netns netns;
    private final LabWiring wiring;
    private final LabNamespaces namespaces;
    private final List<LabNode> nodes = new ArrayList<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final LabProcesses processes;
    private final Map<String, Integer> nextPodHost = new LinkedHashMap<>();
    private int podLinks;
    private Thread shutdownHook;
    private boolean closed;

    public LabNetwork(LabSpec spec) {
        this(spec, new HostCommandRunner());
    }

    public LabNetwork(LabSpec spec, CommandRunner runner) {
        this.spec = spec;
        this.netns = new Netns(runner);
        this.wiring = new LabWiring(netns, spec.prefix());
        this.processes = new LabProcesses(netns, spec.prefix());
        this.namespaces = new LabNamespaces(netns, spec.prefix());
    }

    /** Creates a lab, closing whatever was built if creation fails. */
    public static LabNetwork up(LabSpec spec) {
        LabNetwork lab = new LabNetwork(spec);
        try {
            lab.create();
            return lab;
        } catch (RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Removes every namespace (and root-namespace link) of crashed runs whose names start with {@code prefix}. */
    public static List<String> cleanupLeftovers(String prefix) {
        return new LeftoverCleaner(new Netns(new HostCommandRunner())).clean(prefix);
    }

    /** Builds underlay, nodes and client. Call once; on failure, {@link #close()} cleans up what exists. */
    public synchronized void create() {
        if (shutdownHook != null || closed) {
            throw new IllegalStateException("create() may run once, before close()");
        }
        shutdownHook = new Thread(this::closeFromHook, spec.prefix() + "-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        String underlay = namespaces.create("underlay");
        wiring.underlay(underlay);
        for (int i = 1; i <= spec.nodeCount(); i++) {
            LabNode node = new LabNode("node" + i, i, namespaces.create("node" + i), spec.nodeIp(i), spec.podCidr(i));
            wiring.node(underlay, node, spec.underlay());
            nodes.add(node);
            nextPodHost.put(node.name(), 2);
        }
        wiring.podRoutesBetweenNodes(nodes);
        wiring.client(underlay, namespaces.create("client"), spec.clientIp(), spec.underlay());
        for (Cidr cidr : spec.clientRoutesToNode1()) {
            routeToNode(cidr);
        }
    }

    public String prefix() {
        return spec.prefix();
    }

    public LabSpec spec() {
        return spec;
    }

    public synchronized List<LabNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Node by 1-based index. */
    public synchronized LabNode node(int index) {
        return nodes.get(index - 1);
    }

    public String nodeNamespace() {
        return node(1).namespace();
    }

    public String clientNamespace() {
        return LabNames.namespace(spec.prefix(), "client");
    }

    public String clientIp() {
        return spec.clientIp();
    }

    /** Namespaces this lab created (or tried to), in creation order. */
    public List<String> namespaces() {
        return namespaces.all();
    }

    public List<NetnsProcess> processes() {
        return processes.all();
    }

    public synchronized Map<String, Pod> pods() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(pods));
    }

    public Pod addPod(String name) {
        return addPod(name, node(1));
    }

    /** A pod on {@code node} with the next free IP of the node's pod CIDR. */
    public synchronized Pod addPod(String name, LabNode node) {
        LabNames.requireDnsLabel(name);
        if (pods.containsKey(name)) {
            throw new IllegalArgumentException("pod " + name + " exists");
        }
        int host = nextPodHost.merge(node.name(), 1, Integer::sum) - 1;
        Pod pod = new Pod(name, node.podCidr().addressAt(host), namespaces.create("pod-" + name), node);
        wiring.pod(pod, LabNames.iface(spec.prefix(), "p" + (++podLinks)));
        pods.put(name, pod);
        return pod;
    }

    /** Stops the pod's processes and deletes its namespace; its veth and the node's route go with it. */
    public synchronized void removePod(Pod pod) {
        processes.stopIn(pod.namespace());
        namespaces.delete(pod.namespace());
        pods.remove(pod.name());
    }

    /** Routes {@code cidr} from the outside client to node 1 (e.g. External IPs, or a pod CIDR). */
    public void routeToNode(Cidr cidr) {
        routeToNode(cidr, node(1));
    }

    public void routeToNode(Cidr cidr, LabNode node) {
        wiring.routeVia(clientNamespace(), cidr, node.ip());
    }

    /** Runs argv to completion inside {@code namespace}; check the result with {@link CommandResult#orThrow()}. */
    public CommandResult exec(String namespace, String... argv) {
        return netns.exec(namespace, Arrays.asList(argv), EXEC_TIMEOUT);
    }

    /** Starts a background process in any lab namespace; it is stopped by PID on close. */
    public NetnsProcess start(String namespace, List<String> argv) {
        return track(namespace, argv);
    }

    /** Starts a process in the pod under its own UTS namespace, so its hostname is the pod name. */
    public NetnsProcess startInPod(Pod pod, List<String> argv) {
        return track(pod.namespace(), PodCommand.withHostname(pod.name(), argv));
    }

    /** Starts a process on the node with the node name as hostname (as kube-proxy would see it). */
    public NetnsProcess startOnNode(LabNode node, List<String> argv) {
        return track(node.namespace(), PodCommand.withHostname(node.name(), argv));
    }

    public NetnsProcess startJavaInPod(Pod pod, Class<?> mainClass, String... args) {
        return startInPod(pod, JavaCommand.forMain(mainClass, List.of(args)));
    }

    /** Starts netexec on the default ports (HTTP 8080, UDP 8081) and waits until HTTP answers on the pod IP. */
    public NetnsProcess startNetexec(Pod pod) {
        return startNetexec(pod, NetexecOptions.DEFAULT_HTTP_PORT, NetexecOptions.DEFAULT_UDP_PORT);
    }

    public NetnsProcess startNetexec(Pod pod, int httpPort, int udpPort) {
        NetnsProcess p = startJavaInPod(pod, Netexec.class,
                "--http-port=" + httpPort, "--udp-port=" + udpPort);
        new TcpProbe(netns).await(pod.namespace(), pod.ip(), httpPort, PORT_TIMEOUT, p);
        return p;
    }

    /** Starts netexec (default ports) in all pods at once, then waits for each: JVM startups overlap. */
    public List<NetnsProcess> startNetexec(List<Pod> pods) {
        List<NetnsProcess> started = new ArrayList<>();
        for (Pod pod : pods) {
            started.add(startJavaInPod(pod, Netexec.class, "--http-port=" + NetexecOptions.DEFAULT_HTTP_PORT,
                    "--udp-port=" + NetexecOptions.DEFAULT_UDP_PORT));
        }
        for (int i = 0; i < pods.size(); i++) {
            Pod pod = pods.get(i);
            new TcpProbe(netns).await(pod.namespace(), pod.ip(), NetexecOptions.DEFAULT_HTTP_PORT, PORT_TIMEOUT, started.get(i));
        }
        return started;
    }

    public void awaitTcp(String namespace, String ip, int port, Duration timeout) {
        new TcpProbe(netns).await(namespace, ip, port, timeout, null);
    }

    /** Traffic generator for requests from any lab namespace. */
    public LabTraffic traffic() {
        return new LabTraffic(netns);
    }

    /** Bodies of {@code count} HTTP GETs from {@code namespace} (failures as "ERR: ..."). */
    public List<String> httpBodies(String namespace, String ip, int port, String path, int count) {
        return LabTraffic.bodies(traffic().http(namespace, ip, port, path, count));
    }

    /** Replies to {@code count} UDP requests from {@code namespace} (failures as "ERR: ..."). */
    public List<String> udpBodies(String namespace, String ip, int port, String payload, int count) {
        List<DialResult> results = traffic().udp(namespace, ip, port, payload, count);
        return LabTraffic.bodies(results);
    }

    /** Stops processes by PID, deletes namespaces in reverse order. Idempotent; reports all failures at the end. */
    @Override
    public void close() {
        List<RuntimeException> failures = closeAll();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; it will find nothing left to do
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("lab " + spec.prefix() + " cleanup incomplete");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void closeFromHook() {
        closeAll().forEach(f -> System.err.println("lab " + spec.prefix() + " cleanup: " + f.getMessage()));
    }

    private synchronized List<RuntimeException> closeAll() {
        if (closed) {
            return List.of();
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>(processes.stopAll());
        failures.addAll(namespaces.deleteAll());
        return failures;
    }

    private synchronized NetnsProcess track(String namespace, List<String> argv) {
        if (closed || shutdownHook == null) {
            throw new IllegalStateException("lab " + spec.prefix() + " is not running");
        }
        return processes.start(namespace, argv);
    }
}
