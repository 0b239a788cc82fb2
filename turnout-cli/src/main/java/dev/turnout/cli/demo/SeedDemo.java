package dev.turnout.cli.demo;

import dev.turnout.lab.LabNode;
import dev.turnout.lab.Pod;
import dev.turnout.lab.netns.CommandResult;
import dev.turnout.lab.netns.HostCommandRunner;
import dev.turnout.lab.netns.Netns;
import dev.turnout.lab.stats.ChiSquare;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The main job, first form: the seed's scenario in network namespaces with real packets. Builds a
 * node with three pods and a client pod, runs {@code turnout proxy} on the node, sends requests
 * over path 3→2 (pod → Cluster IP), path 1→2 (outside client → External IP) and the NodePort,
 * checks the split, then reads the rules back with their counters and checks that the kernel's
 * DNAT counts equal what the pods saw. Every step must verify for exit 0.
 */
public final class SeedDemo {
    /** Requests per path; ≥ 300 so the chi-square test has power. */
    static final int REQUESTS = 300;
    private static final double ALPHA = 0.001;
    private static final Pattern SEP_DNAT =
            Pattern.compile("^\\[(\\d+):\\d+\\] -A (KUBE-SEP-\\S+) .*-j DNAT --to-destination (\\S+)$");

    private final PrintStream out;
    private final Map<String, Long> seenByPod = new TreeMap<>();
    private ServiceLab lab;
    private List<Pod> pods;
    private Pod client;
    private LabNode node;

    public SeedDemo(PrintStream out) {
        this.out = out;
    }

    /** Runs every step; true when all were verified. The lab is always torn down. */
    public boolean run() {
        StepLog steps = new StepLog(out, 8);
        try {
            boolean ok = steps.run("Build a node, three pods and a client in network namespaces", this::buildLab)
                    && steps.run("Apply example-svc (LoadBalancer) and run turnout proxy on the node", this::applyAndProxy);
            if (ok) {
                steps.run("kubectl get service / get pod -o wide, as the seed shows them", this::showObjects);
                steps.run("Path 3→2: a pod → Cluster IP " + SeedScenario.CLUSTER_IP + ":" + SeedScenario.PORT,
                        () -> requests(client.namespace(), SeedScenario.CLUSTER_IP, SeedScenario.PORT));
                steps.run("Path 1→2: the outside client → External IP " + SeedScenario.EXTERNAL_IP + ":" + SeedScenario.PORT,
                        () -> requests(lab.network().clientNamespace(), SeedScenario.EXTERNAL_IP, SeedScenario.PORT));
                steps.run("NodePort: the outside client → node " + node.ip() + ":" + SeedScenario.NODE_PORT,
                        () -> requests(lab.network().clientNamespace(), node.ip(), SeedScenario.NODE_PORT));
                steps.run("The KUBE-* rules that carried them, read back from the node", this::showRules);
            }
        } finally {
            steps.run("Tear down: processes, namespaces, rules", this::tearDown);
        }
        return steps.summary();
    }

    private String buildLab() throws Exception {
        lab = ServiceLab.up(1);
        node = lab.node(1);
        pods = lab.backends(node, SeedScenario.POD_NAMES.toArray(String[]::new));
        client = lab.network().addPod("client-pod", node);
        return "node " + node.name() + " (" + node.ip() + "), pods " + pods.stream().map(p -> p.name() + "=" + p.ip()).toList()
                + ", client-pod=" + client.ip() + ", outside client " + lab.network().clientIp();
    }

    private String applyAndProxy() throws Exception {
        lab.apply(SeedScenario.objects(pods).toArray(io.fabric8.kubernetes.api.model.HasMetadata[]::new));
        lab.startProxies();
        lab.awaitRulesContaining("default/example-svc:http loadbalancer IP");
        return "rules for default/example-svc:http are in " + node.name() + "'s kernel";
    }

    private String showObjects() {
        out.println();
        out.printf(Locale.ROOT, "      $ kubectl get service%n");
        out.printf(Locale.ROOT, "      %-13s %-13s %-14s %-16s %-14s%n", "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)");
        out.printf(Locale.ROOT, "      %-13s %-13s %-14s %-16s %-14s%n", SeedScenario.SERVICE, "LoadBalancer",
                SeedScenario.CLUSTER_IP, SeedScenario.EXTERNAL_IP, SeedScenario.PORT + ":" + SeedScenario.NODE_PORT + "/TCP");
        out.println();
        out.printf(Locale.ROOT, "      $ kubectl get pod -o wide%n");
        out.printf(Locale.ROOT, "      %-15s %-7s %-9s %-13s %-8s%n", "NAME", "READY", "STATUS", "IP", "NODE");
        for (Pod p : pods) {
            out.printf(Locale.ROOT, "      %-15s %-7s %-9s %-13s %-8s%n", p.name(), "1/1", "Running", p.ip(), p.node().name());
        }
        out.printf(Locale.ROOT, "      %-15s %-7s %-9s %-13s %-8s%n", client.name(), "1/1", "Running", client.ip(), node.name());
        return "1 Service, " + (pods.size() + 1) + " pods";
    }

    private String requests(String fromNamespace, String ip, int port) {
        List<String> bodies = lab.network().httpBodies(fromNamespace, ip, port, "/hostname", REQUESTS);
        Map<String, Long> counts = new TreeMap<>();
        SeedScenario.POD_NAMES.forEach(n -> counts.put(n, 0L));
        List<String> errors = new ArrayList<>();
        for (String b : bodies) {
            if (counts.containsKey(b)) {
                counts.merge(b, 1L, Long::sum);
                seenByPod.merge(b, 1L, Long::sum);
            } else {
                errors.add(b);
            }
        }
        ChiSquare chi = ChiSquare.uniform(counts.values());
        counts.forEach((pod, n) -> out.printf(Locale.ROOT, "      %-15s %4d  %s%n", pod, n, "#".repeat((int) (n / 4))));
        out.printf(Locale.ROOT, "      %s%n", chi);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.size() + "/" + REQUESTS + " requests failed, e.g. " + errors.get(0));
        }
        if (!chi.looksUniform(ALPHA)) {
            throw new IllegalStateException("the split " + counts + " is not uniform (" + chi + ")");
        }
        return REQUESTS + "/" + REQUESTS + " answered by all three pods, uniform split not rejected (p = "
                + String.format(Locale.ROOT, "%.3f", chi.pValue()) + ")";
    }

    private String showRules() {
        CommandResult saved = lab.network().exec(node.namespace(), "iptables-save", "-c", "-t", "nat").orThrow();
        List<String> lines = relevantRules(saved.stdout());
        out.println();
        out.printf(Locale.ROOT, "      $ ip netns exec %s iptables-save -c -t nat   ([packets:bytes] before each rule)%n",
                node.namespace());
        lines.forEach(l -> out.println("      " + l));
        Map<String, Long> dnatByPod = new LinkedHashMap<>();
        for (String l : lines) {
            Matcher m = SEP_DNAT.matcher(l);
            if (m.matches()) {
                String ip = m.group(3).substring(0, m.group(3).indexOf(':'));
                String pod = pods.stream().filter(p -> p.ip().equals(ip)).map(Pod::name).findFirst().orElse(ip);
                dnatByPod.put(pod, Long.parseLong(m.group(1)));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "      %-15s %10s %10s%n", "pod", "answered", "DNAT count");
        seenByPod.forEach((pod, n) -> out.printf(Locale.ROOT, "      %-15s %10d %10d%n", pod, n, dnatByPod.getOrDefault(pod, 0L)));
        if (!new TreeMap<>(dnatByPod).equals(seenByPod)) {
            throw new IllegalStateException("the kernel's DNAT counters " + dnatByPod + " differ from the answers " + seenByPod);
        }
        return "each KUBE-SEP DNAT rule counted exactly the connections its pod answered ("
                + seenByPod.values().stream().mapToLong(Long::longValue).sum() + " in all)";
    }

    /** The nat lines of example-svc: its KUBE-SERVICES/KUBE-NODEPORTS entries and its own chains. */
    static List<String> relevantRules(String saved) {
        List<String> chains = new ArrayList<>();
        for (String l : saved.split("\n")) {
            if (l.contains("default/example-svc")) {
                Matcher m = Pattern.compile("-j (KUBE-(?:SVC|EXT|FW|SEP|SVL)-\\S+)").matcher(l);
                if (m.find()) {
                    chains.add(m.group(1));
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : saved.split("\n")) {
            if (l.startsWith("[") && (l.contains("default/example-svc")
                    || chains.stream().anyMatch(c -> l.contains("-A " + c + " ")))) {
                out.add(l);
            }
        }
        return out;
    }

    private String tearDown() {
        if (lab == null) {
            return "nothing was built";
        }
        String prefix = lab.network().prefix();
        lab.close();
        long left = new Netns(new HostCommandRunner()).list().stream().filter(n -> n.startsWith(prefix)).count();
        if (left > 0) {
            throw new IllegalStateException(left + " namespaces with prefix " + prefix + " are still present");
        }
        return "no namespace with prefix " + prefix + " is left (rules went with the node namespace)";
    }
}
