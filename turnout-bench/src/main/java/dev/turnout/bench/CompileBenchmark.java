package dev.turnout.bench;

import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.iptables.CompiledRules;
import dev.turnout.proxy.iptables.IptablesCompiler;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.SyncInput;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time to compile a whole cluster's iptables rules, full and partial (one endpoint changed), by a
 * compiler that lives across syncs as the proxier's does; and a first full sync by a new one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {
    @Param({"1000", "10000"})
    public int services;

    @Param({"10"})
    public int endpointsPerService;

    private IptablesCompiler compiler;
    private SyncInput[] full;
    private SyncInput[] partial;
    private int flip;

    /**
     * Two states that differ in one endpoint of one Service. Each call compiles the other one, so
     * every sync has exactly one real change to render, as a proxier's steady state does; caches
     * inside a long-lived compiler help only with what did not change.
     */
    @Setup
    public void setUp() {
        compiler = new IptablesCompiler(IptablesConfig.defaults("bench-node"));
        ProxyState a = SyntheticCluster.of(services, endpointsPerService);
        ProxyState b = SyntheticCluster.withOneEndpointChanged(a, services / 2);
        Set<String> changed = Set.of(SyntheticCluster.name(services / 2).namespacedName());
        full = new SyncInput[] {SyncInput.full(a), SyncInput.full(b)};
        partial = new SyncInput[] {new SyncInput(a, false, changed, Set.of()), new SyncInput(b, false, changed, Set.of())};
    }

    /** A full sync (every chain written) one change after the previous sync. */
    @Benchmark
    public CompiledRules fullSync() {
        return compiler.compile(full[flip ^= 1]);
    }

    /** A partial sync (only the changed Service's chains written) one change after the previous sync. */
    @Benchmark
    public CompiledRules partialSync() {
        return compiler.compile(partial[flip ^= 1]);
    }

    /**
     * A full sync by a compiler that has seen nothing yet (a restart): every Service port is
     * rendered and every chain name hashed, nothing comes from earlier syncs.
     */
    @Benchmark
    public CompiledRules fullSyncFirst() {
        return new IptablesCompiler(IptablesConfig.defaults("bench-node")).compile(full[0]);
    }
}
