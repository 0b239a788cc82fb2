package dev.turnout.proxy.iptables;

import dev.turnout.proxy.kernel.RulePosition;
import dev.turnout.model.Cidr;
import dev.turnout.model.Endpoint;
import dev.turnout.model.IpFamily;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxierEvents;
import dev.turnout.proxy.ProxierInputs;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.conntrack.StaleFlowCleaner;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ServiceHealthServer;
import dev.turnout.proxy.kernel.Iptables;
import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.kernel.Sysctl;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.BoundedFrequencyRunner;
import dev.turnout.proxy.runner.Scheduler;
import dev.turnout.proxy.tracker.EndpointsUpdateResult;
import dev.turnout.proxy.tracker.ProxyMaps;
import dev.turnout.proxy.tracker.ServiceUpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The iptables proxier's runtime, as upstream's iptables {@code Proxier} around syncProxyRules:
 * events feed the change trackers; once Services and EndpointSlices (and Nodes, if asked) have
 * synced, each sync applies the pending changes, decides between a full and a partial sync,
 * compiles the desired state (the compiler is injected), writes it with one
 * {@code iptables-restore --noflush --counters}, and then does the housekeeping: health, metrics,
 * health-check servers, stale UDP conntrack flows. A failed sync is retried after syncPeriod and
 * the next one is full.
 */
public final class IptablesProxier implements ProxierEvents {
    private static final Logger LOG = Logger.getLogger(IptablesProxier.class.getName());
    static final String ROUTE_LOCALNET = "net/ipv4/conf/all/route_localnet";
    /** Upstream's largeClusterEndpointsThreshold. */
    static final int LARGE_CLUSTER_ENDPOINTS = 1000;

    private final IptablesConfig config;
    private final Function<SyncInput, CompiledRules> compiler;
    private final Iptables iptables;
    private final Sysctl sysctl;
    private final Scheduler scheduler;
    private final SyncOptions options;
    private final ProxyMetrics metrics;
    private final ProxyHealth health;
    private final ServiceHealthServer serviceHealth;
    private final List<JumpRule> jumpRules;
    private final StaleFlowCleaner staleFlows;
    private final ProxierInputs inputs;
    private final BoundedFrequencyRunner runner;
    private final CanaryMonitor canary;

    // Guarded by "this": syncs run one at a time, from the runner or from a synced signal.
    private final Map<ServicePortName, ServicePort> svcPortMap = new TreeMap<>();
    private final Map<ServicePortName, List<Endpoint>> endpointsMap = new TreeMap<>();
    private boolean needFullSync = true;
    private Instant lastFullSync;
    private Instant lastNatChainsRead;

    IptablesProxier(IptablesProxierBuilder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.compiler = Objects.requireNonNull(b.compiler, "compiler");
        this.iptables = Objects.requireNonNull(b.iptables, "iptables");
        this.sysctl = Objects.requireNonNull(b.sysctl, "sysctl");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        this.options = b.options;
        this.metrics = b.metrics;
        this.health = b.health;
        this.serviceHealth = b.serviceHealth;
        this.jumpRules = List.copyOf(b.jumpRules);
        this.staleFlows = new StaleFlowCleaner(Objects.requireNonNull(b.conntrack, "conntrack"), config.family());
        this.inputs = new ProxierInputs(config.family(), config.nodeName(), metrics, b.waitForNodes);
        this.runner = new BoundedFrequencyRunner("sync-runner", this::syncProxyRules, options.minSyncPeriod(),
                options.syncPeriod(), options.burstSyncs(), scheduler);
        // upstream: go ipt.Monitor(kubeProxyCanaryChain, {mangle, nat, filter}, forceSyncProxyRules, syncPeriod)
        this.canary = new CanaryMonitor(iptables, scheduler, options.syncPeriod(), this::forceSyncProxyRules);
    }

    public static IptablesProxierBuilder builder(IptablesConfig config, Function<SyncInput, CompiledRules> compiler) {
        return new IptablesProxierBuilder(config, compiler);
    }

    /**
     * Prepares the node and starts the sync loop (upstream NewProxier + SyncLoop). Sets
     * route_localnet=1 when localhost NodePorts are on, as upstream does; failing that is fatal.
     * The scheduler must be running.
     */
    public void start() throws KernelException {
        if (localhostNodePorts()) {
            // Exposes NodePorts on 127.0.0.1 (upstream issue 90259); the filter rule the compiler
            // writes into KUBE-FIREWALL closes the hole it opens.
            LOG.info("Setting route_localnet=1 to allow node-ports on localhost");
            sysctl.ensure(ROUTE_LOCALNET, 1);
        }
        if (health != null) {
            // Healthy from the start, in case no sync ever succeeds (upstream SyncLoop).
            health.updated(config.family());
        }
        metrics.syncProxyRulesLastQueuedTimestamp.set(ProxyMetrics.seconds(scheduler.now()));
        canary.start();
        runner.start();
    }

    /** Stops the sync loop and the iptables flush monitor, and closes the health-check servers. */
    public void stop() {
        canary.stop();
        runner.stop();
        if (serviceHealth != null) {
            serviceHealth.close();
        }
    }

    /** {@code --cleanup}: removes every rule and chain this proxier creates; returns the errors. */
    public List<KernelException> cleanup() {
        return new IptablesCleanup(iptables, true).run();
    }

    /** upstream's NodePortAddresses.ContainsIPv4Loopback, and IPv4 only. */
    boolean localhostNodePorts() {
        if (!config.localhostNodePorts() || config.family() != IpFamily.IPv4) {
            return false;
        }
        List<Cidr> cidrs = config.nodePortAddresses();
        return cidrs.isEmpty() || cidrs.stream().anyMatch(c -> c.contains("127.0.0.1"));
    }

    /** Asks for a sync as soon as the pacing allows (upstream Sync). */
    @Override
    public void sync() {
        if (health != null) {
            health.queuedUpdate(config.family());
        }
        metrics.syncProxyRulesLastQueuedTimestamp.set(ProxyMetrics.seconds(scheduler.now()));
        runner.run();
    }

    @Override
    public ProxierInputs inputs() {
        return inputs;
    }

    @Override
    public ProxyHealth health() {
        return health;
    }

    /** Topology labels feed endpoint selection everywhere: a change needs a full sync, as upstream. */
    @Override
    public synchronized boolean setNode(NodeInfo info) {
        if (!inputs.setNode(info)) {
            return false;
        }
        needFullSync = true;
        return true;
    }

    /** After iptables was flushed: a full sync now (upstream forceSyncProxyRules). */
    void forceSyncProxyRules() {
        synchronized (this) {
            needFullSync = true;
        }
        syncProxyRules();
    }

    /** One sync (upstream syncProxyRules). Package-visible for tests; normally run by the runner. */
    @Override
    public synchronized void syncProxyRules() {
        if (!inputs.initialized()) {
            LOG.fine("Not syncing iptables until Services and Endpoints have been received");
            return;
        }
        Instant start = scheduler.now();
        long startNanos = System.nanoTime();
        boolean full = needFullSync || lastFullSync == null
                || Duration.between(lastFullSync, start).compareTo(options.fullSyncPeriod()) >= 0;
        ServiceUpdateResult serviceUpdates = inputs.serviceChanges().applyTo(svcPortMap);
        EndpointsUpdateResult endpointUpdates = inputs.endpointsChanges().applyTo(endpointsMap);
        boolean success = false;
        try {
            if (full) {
                ensureJumpRules();
            }
            ProxyState state = new ProxyState(svcPortMap, endpointsMap, inputs.node());
            Set<String> changed = new HashSet<>(serviceUpdates.updatedServices());
            changed.addAll(endpointUpdates.updatedServices());
            CompiledRules rules = compiler.apply(new SyncInput(state, full, changed, existingNatChains(full, start)));
            metrics.iptablesRulesTotal.set(rules.filterRules(), "filter");
            metrics.iptablesRulesTotal.set(rules.natRules(), "nat");
            try {
                iptables.restore(rules.restoreInput(), true, true);
            } catch (KernelException e) {
                metrics.iptablesRestoreFailures.inc();
                throw e;
            }
            success = true;
            needFullSync = false;
            if (full) {
                lastFullSync = start;
            }
            afterSuccess(state, serviceUpdates, endpointUpdates);
        } catch (KernelException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Sync failed; retrying in " + options.syncPeriod(), e);
        } finally {
            if (!success) {
                runner.retryAfter(options.syncPeriod());
                if (!full) {
                    metrics.iptablesPartialRestoreFailures.inc();
                }
                // The trackers have been drained: only a full sync can rebuild what was lost.
                needFullSync = true;
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            metrics.syncProxyRulesDuration.observe(seconds);
            (full ? metrics.syncFullProxyRulesDuration : metrics.syncPartialProxyRulesDuration).observe(seconds);
        }
    }

    /**
     * Upstream creates our chains and prepends the jumps to them on full syncs only: they exist
     * after the first one, and checking ~14 rules each sync is slow on big hosts.
     */
    private void ensureJumpRules() throws KernelException {
        for (JumpRule j : jumpRules) {
            iptables.ensureChain(j.table(), j.target());
            iptables.ensureRule(RulePosition.PREPEND, j.table(), j.source(), j.ruleArgs());
        }
    }

    /**
     * The nat chains that exist now, so the compiler can delete stale ones of ours. Upstream reads
     * them every sync except in large clusters (over 1000 endpoints), where iptables-save is slow
     * and they are read once per syncPeriod; full syncs always read them. An unreadable table only
     * means stale chains stay a while longer.
     */
    private Set<String> existingNatChains(boolean full, Instant now) {
        int total = endpointsMap.values().stream().mapToInt(List::size).sum();
        boolean large = total > LARGE_CLUSTER_ENDPOINTS;
        if (!full && large && lastNatChainsRead != null
                && Duration.between(lastNatChainsRead, now).compareTo(options.syncPeriod()) <= 0) {
            return Set.of();
        }
        try {
            Set<String> chains = Iptables.chainsOf(iptables.save("nat"));
            lastNatChainsRead = now;
            return chains;
        } catch (KernelException e) {
            LOG.log(Level.WARNING, "Failed to execute iptables-save: stale chains will not be deleted", e);
            return Set.of();
        }
    }

    private void afterSuccess(ProxyState state, ServiceUpdateResult svc, EndpointsUpdateResult eps) {
        int[] noLocal = NoLocalEndpoints.count(state);
        metrics.noLocalEndpointsTotal.set(noLocal[0], "internal");
        metrics.noLocalEndpointsTotal.set(noLocal[1], "external");
        if (health != null) {
            health.updated(config.family());
        }
        metrics.syncProxyRulesLastTimestamp.set(ProxyMetrics.seconds(scheduler.now()));
        if (serviceHealth != null) {
            serviceHealth.syncServices(ProxyMaps.healthCheckNodePorts(svcPortMap))
                    .forEach(e -> LOG.log(Level.WARNING, "Error syncing healthcheck services", e));
            serviceHealth.syncEndpoints(ProxyMaps.localReadyEndpoints(endpointsMap));
        }
        // Only now that the new rules are in: a deleted flow is re-created against them.
        staleFlows.clean(svcPortMap, svc, eps)
                .forEach(e -> LOG.log(Level.WARNING, "Failed to delete stale conntrack flows", e));
    }
}
