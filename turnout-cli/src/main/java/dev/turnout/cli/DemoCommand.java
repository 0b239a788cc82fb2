package dev.turnout.cli;

import dev.turnout.cli.demo.SeedDemo;
import dev.turnout.cli.demo.SeedScenario;
import dev.turnout.lab.Pod;
import dev.turnout.model.IpFamily;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.ProxyStates;
import dev.turnout.proxy.iptables.IptablesCompiler;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.SyncInput;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code turnout demo}: the seed's example with real packets, verified step by step. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Build the seed's scenario (example-svc over three pods) in network namespaces, send requests "
                + "over path 3→2, path 1→2 and the NodePort, verify the split and the kernel's counters, tear down. "
                + "Needs root; without it, prints the rules for the scenario instead.")
final class DemoCommand implements Callable<Integer> {
    private static final List<String> TOOLS = List.of("ip", "iptables-restore", "iptables-save", "unshare", "conntrack");

    @Override
    public Integer call() {
        String missing = missingPrerequisite();
        if (missing != null) {
            System.out.println("turnout demo: cannot build network namespaces here: " + missing + ".");
            System.out.println("Running what needs neither root nor namespaces instead (labelled as such):");
            printRulesOnly();
            return Main.EXIT_FAILURE;
        }
        System.out.println("turnout demo: the seed's example-svc, in network namespaces, with real packets.");
        return new SeedDemo(System.out).run() ? 0 : Main.EXIT_FAILURE;
    }

    /** Why the demo cannot build namespaces, or null when it can. */
    static String missingPrerequisite() {
        if (!isRoot()) {
            return "it needs root (run: sudo bin/turnout demo)";
        }
        for (String tool : TOOLS) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                return "the command '" + tool + "' is missing (Debian: apt-get install iptables iproute2 conntrack util-linux)";
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static void printRulesOnly() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < SeedScenario.POD_NAMES.size(); i++) {
            pods.add(new Pod(SeedScenario.POD_NAMES.get(i), "10.244.1." + (i + 2), "(none)", null));
        }
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (var o : SeedScenario.objects(pods)) {
            if (o instanceof Service s) {
                services.add(s);
            } else if (o instanceof EndpointSlice e) {
                slices.add(e);
            }
        }
        ProxyState state = ProxyStates.of(services, slices, List.of(), IpFamily.IPv4, "node1");
        System.out.println();
        System.out.println("[rules only — no packets were sent] the iptables-restore input kube-proxy would load on node1:");
        System.out.print(new IptablesCompiler(IptablesConfig.defaults("node1")).compile(SyncInput.full(state)).restoreInput());
    }
}
