package dev.turnout.proxy.iptables;

import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ServiceHealthServer;
import dev.turnout.proxy.kernel.CommandRunner;
import dev.turnout.proxy.kernel.Conntrack;
import dev.turnout.proxy.kernel.ConntrackCli;
import dev.turnout.proxy.kernel.Iptables;
import dev.turnout.proxy.kernel.IptablesCli;
import dev.turnout.proxy.kernel.Sysctl;
import dev.turnout.proxy.kernel.SysctlCli;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.Scheduler;
import java.util.List;
import java.util.function.Function;

/**
 * Assembles an {@link IptablesProxier}. Required: the config, the compiler, the kernel seams
 * ({@link #kernel(CommandRunner)} gives the real ones) and a scheduler. The rest defaults to
 * upstream's behaviour: default timings, fresh metrics, no health reporting, no health-check
 * servers, no waiting for Nodes.
 */
public final class IptablesProxierBuilder {
    final IptablesConfig config;
    final Function<SyncInput, CompiledRules> compiler;
    Iptables iptables;
    Conntrack conntrack;
    Sysctl sysctl;
    Scheduler scheduler;
    SyncOptions options = SyncOptions.DEFAULTS;
    ProxyMetrics metrics = new ProxyMetrics();
    ProxyHealth health;
    ServiceHealthServer serviceHealth;
    boolean waitForNodes;
    List<JumpRule> jumpRules = JumpRule.ALL;

    IptablesProxierBuilder(IptablesConfig config, Function<SyncInput, CompiledRules> compiler) {
        this.config = config;
        this.compiler = compiler;
    }

    /** The real iptables, conntrack and sysctl, all run through {@code runner} (and so its netns). */
    public IptablesProxierBuilder kernel(CommandRunner runner) {
        return iptables(new IptablesCli(runner, config.family()))
                .conntrack(new ConntrackCli(runner))
                .sysctl(new SysctlCli(runner));
    }

    public IptablesProxierBuilder iptables(Iptables v) {
        iptables = v;
        return this;
    }

    public IptablesProxierBuilder conntrack(Conntrack v) {
        conntrack = v;
        return this;
    }

    public IptablesProxierBuilder sysctl(Sysctl v) {
        sysctl = v;
        return this;
    }

    /** Where syncs run and what time it is; the caller starts and stops it. */
    public IptablesProxierBuilder scheduler(Scheduler v) {
        scheduler = v;
        return this;
    }

    public IptablesProxierBuilder options(SyncOptions v) {
        options = v;
        return this;
    }

    public IptablesProxierBuilder metrics(ProxyMetrics v) {
        metrics = v;
        return this;
    }

    /** Report sync health here (shared with the /healthz server). */
    public IptablesProxierBuilder health(ProxyHealth v) {
        health = v;
        return this;
    }

    /** Serve health-check NodePorts with this server; the proxier closes it on stop. */
    public IptablesProxierBuilder serviceHealth(ServiceHealthServer v) {
        serviceHealth = v;
        return this;
    }

    /** Also wait for the Node informer to sync before the first sync. */
    public IptablesProxierBuilder waitForNodes(boolean v) {
        waitForNodes = v;
        return this;
    }

    /** The jump rules to ensure on full syncs (default: upstream's). */
    public IptablesProxierBuilder jumpRules(List<JumpRule> v) {
        jumpRules = v;
        return this;
    }

    public IptablesProxier build() {
        return new IptablesProxier(this);
    }
}
