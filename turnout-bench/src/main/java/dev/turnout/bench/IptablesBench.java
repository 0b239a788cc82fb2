package dev.turnout.bench;

import dev.turnout.lab.netns.HostCommandRunner;
import dev.turnout.lab.netns.Netns;
import dev.turnout.model.IpFamily;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.iptables.CompiledRules;
import dev.turnout.proxy.iptables.IptablesCompiler;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.SyncInput;
import dev.turnout.proxy.kernel.IptablesCli;
import dev.turnout.proxy.kernel.ProcessCommandRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The iptables benchmark: compile time (JMH) of 1k and 10k Services × 10 endpoints, full and
 * partial, and the time iptables-restore takes to load each into a fresh network namespace.
 * Writes its section of docs/benchmarks.md.
 */
public final class IptablesBench {
    static final String COMMAND = "bin/turnout bench iptables";
    private static final int[] SIZES = {1000, 10000};
    private static final int ENDPOINTS = 10;
    /** Debian ships both iptables backends; kube-proxy uses whichever the host uses. */
    private static final List<String> BACKENDS = List.of("legacy", "nft");
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(3);

    private final PrintStream out;

    public IptablesBench(PrintStream out) {
        this.out = out;
    }

    public void run(Path doc) throws Exception {
        out.println("[1/2] JMH: compile time, full and partial sync (this takes a few minutes) …");
        Map<String, Double> compileMs = compileTimes();
        out.println("[2/2] iptables-restore into a fresh network namespace …");
        Map<String, double[]> restoreMs = new LinkedHashMap<>();
        for (int size : SIZES) {
            for (String backend : BACKENDS) {
                restoreMs.put(size + "/" + backend, restoreTimes(size, backend));
            }
        }
        String md = report(compileMs, restoreMs);
        new BenchmarksDoc(doc).writeSection("iptables-compile", md);
        out.println(md);
        out.println("written to " + doc);
    }

    private Map<String, Double> compileTimes() throws Exception {
        Options opts = new OptionsBuilder()
                .include(CompileBenchmark.class.getName())
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .forks(1).jvmArgs("-Xmx4g")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> ms = new LinkedHashMap<>();
        for (RunResult r : results) {
            String key = r.getParams().getBenchmark().replaceAll(".*\\.", "") + "@" + r.getParams().getParam("services");
            ms.put(key, r.getPrimaryResult().getScore());
            ms.put(key + "±", r.getPrimaryResult().getScoreError());
        }
        return ms;
    }

    /** Milliseconds for: first full load, a partial sync after it, a full re-sync over the loaded tables. */
    private double[] restoreTimes(int services, String backend) throws Exception {
        IptablesCompiler compiler = new IptablesCompiler(IptablesConfig.defaults("bench-node"));
        ProxyState state = SyntheticCluster.of(services, ENDPOINTS);
        CompiledRules full = compiler.compile(SyncInput.full(state));
        ProxyState changed = SyntheticCluster.withOneEndpointChanged(state, services / 2);
        CompiledRules partial = compiler.compile(new SyncInput(changed, false,
                Set.of(SyntheticCluster.name(services / 2).namespacedName()), full.activeNatChains()));
        Netns netns = new Netns(new HostCommandRunner());
        String ns = "tbench" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
        Thread cleanup = new Thread(() -> netns.delete(ns), "bench-netns-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        netns.create(ns);
        try {
            IptablesCli iptables = new IptablesCli(new ProcessCommandRunner(ns, RESTORE_TIMEOUT), IpFamily.IPv4, backend);
            double first = timeMs(() -> iptables.restore(full.restoreInput(), true, true));
            double part = Double.isNaN(first) ? Double.NaN : timeMs(() -> iptables.restore(partial.restoreInput(), true, true));
            double again = Double.isNaN(first) ? Double.NaN : timeMs(() -> iptables.restore(full.restoreInput(), true, true));
            out.printf(Locale.ROOT, "      %,d Services, iptables-%s: %,d nat rules; first load, partial, full re-sync (ms): %s, %s, %s%n",
                    services, backend, full.natRules(), ms(first), ms(part), ms(again));
            return new double[] {first, part, again, full.natRules(), full.filterRules()};
        } finally {
            netns.delete(ns);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Milliseconds the action took, or NaN when it failed (e.g. ran past the runner's timeout). */
    private double timeMs(Action a) {
        long t0 = System.nanoTime();
        try {
            a.run();
        } catch (Exception e) {
            out.println("      failed: " + e.getMessage());
            return Double.NaN;
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "did not finish in " + RESTORE_TIMEOUT.toMinutes() + " min" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String report(Map<String, Double> c, Map<String, double[]> r) {
        List<String> lines = new ArrayList<>();
        lines.add("## iptables: compile and load");
        lines.add("");
        lines.add("Command: `" + COMMAND + "` (JMH: 1 fork, 3×2 s warm-up, 5×2 s measurement; restore: one run each in a fresh network namespace).");
        lines.add("Machine: " + BenchmarksDoc.machine() + ". Cluster: N Services × " + ENDPOINTS
                + " endpoints, every 10th a NodePort, every 100th a LoadBalancer.");
        lines.add("");
        lines.add("| Services | nat rules | full compile, new compiler (ms) | full sync, 1 endpoint changed (ms) | partial sync, 1 endpoint changed (ms) |");
        lines.add("|---:|---:|---:|---:|---:|");
        for (int size : SIZES) {
            lines.add(String.format(Locale.ROOT, "| %,d | %,d | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f |", size,
                    (long) r.get(size + "/" + BACKENDS.get(0))[3],
                    c.get("fullSyncFirst@" + size), c.get("fullSyncFirst@" + size + "±"),
                    c.get("fullSync@" + size), c.get("fullSync@" + size + "±"),
                    c.get("partialSync@" + size), c.get("partialSync@" + size + "±")));
        }
        lines.add("");
        lines.add("A new compiler renders every Service (as after a restart); a long-lived one, as in `turnout proxy`, keeps "
                + "each Service port's rendered rules and re-renders only what changed.");
        lines.add("");
        lines.add("| Services | backend | iptables-restore first load (ms) | restore partial (ms) | restore full re-sync (ms) |");
        lines.add("|---:|---|---:|---:|---:|");
        for (int size : SIZES) {
            for (String backend : BACKENDS) {
                double[] t = r.get(size + "/" + backend);
                lines.add(String.format(Locale.ROOT, "| %,d | iptables-%s | %s | %s | %s |", size, backend, ms(t[0]), ms(t[1]), ms(t[2])));
            }
        }
        double tenK = c.get("fullSync@10000");
        double cold = c.get("fullSyncFirst@10000");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Goal: full compile of 10k × 10 in ≤ 150 ms warm — a long-lived compiler's full sync: %.1f ms (%s); "
                + "a new compiler's first full compile (JIT warm, nothing cached): %.1f ms (%s).", tenK, tenK <= 150 ? "met" : "not met",
                cold, cold <= 150 ? "met" : "not met"));
        lines.add(String.format(Locale.ROOT, "Ratios at 10k: partial/full sync compile = %.3f; iptables-legacy first load/full compile = %.0f×; "
                + "iptables-nft/iptables-legacy first load at 1k = %.1f×.", c.get("partialSync@10000") / tenK,
                r.get("10000/legacy")[0] / tenK, r.get("1000/nft")[0] / r.get("1000/legacy")[0]));
        return String.join("\n", lines);
    }
}
