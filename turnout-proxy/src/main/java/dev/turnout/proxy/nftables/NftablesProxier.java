package dev.turnout.proxy.nftables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxierEvents;
import dev.turnout.proxy.ProxierInputs;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.conntrack.StaleFlowCleaner;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ServiceHealthServer;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.NoLocalEndpoints;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.kernel.Conntrack;
import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.kernel.Nft;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The nftables proxier's runtime, as upstream's nftables {@code Proxier}: events feed the change
 * trackers; each sync applies them and runs one {@code nft -f -} transaction. The first sync, and
 * the one after any failure, is full: it sets the table up, flushes the maps and writes everything,
 * and reads the table's chain and set names once to find stale ones. Every other sync is partial:
 * from the {@link KernelBook} of what earlier transactions wrote, it writes the chains of changed
 * Services and element differences only, and reads nothing back. Chains that went stale are
 * flushed at once and deleted by a sync at least a second later, as upstream does.
 */
public final class NftablesProxier implements ProxierEvents {
    private static final Logger LOG = Logger.getLogger(NftablesProxier.class.getName());
    /** Upstream waits this long before deleting a chain that map elements pointed at. */
    static final Duration STALE_CHAIN_DELAY = Duration.ofSeconds(1);

    private final IptablesConfig config;
    private final NftablesCompiler compiler;
    private final Nft nft;
    private final Scheduler scheduler;
    private final SyncOptions options;
    private final ProxyMetrics metrics;
    private final ProxyHealth health;
    private final ServiceHealthServer serviceHealth;
    private final StaleFlowCleaner staleFlows;
    private final ProxierInputs inputs;
    private final BoundedFrequencyRunner runner;
    private final KernelBook book = new KernelBook();

    private final Map<ServicePortName, ServicePort> svcPortMap = new TreeMap<>();
    private final Map<ServicePortName, List<Endpoint>> endpointsMap = new TreeMap<>();
    private boolean needFullSync = true;
    private Instant lastFullSync;
    private volatile long syncs;
    private volatile long fullSyncs;

    /** The parts of a proxier; {@code health} and {@code serviceHealth} may be null. */
    public record Parts(IptablesConfig config, NftablesCompiler compiler, Nft nft, Conntrack conntrack,
            Scheduler scheduler, SyncOptions options, ProxyMetrics metrics, ProxyHealth health,
            ServiceHealthServer serviceHealth, boolean waitForNodes) {
    }

    public NftablesProxier(Parts p) {
        this.config = Objects.requireNonNull(p.config(), "config");
        this.compiler = Objects.requireNonNull(p.compiler(), "compiler");
        this.nft = Objects.requireNonNull(p.nft(), "nft");
        this.scheduler = Objects.requireNonNull(p.scheduler(), "scheduler");
        this.options = p.options() == null ? SyncOptions.DEFAULTS : p.options();
        this.metrics = p.metrics() == null ? ProxyMetrics.forNftables() : p.metrics();
        this.health = p.health();
        this.serviceHealth = p.serviceHealth();
        this.staleFlows = new StaleFlowCleaner(Objects.requireNonNull(p.conntrack(), "conntrack"), config.family());
        this.inputs = new ProxierInputs(config.family(), config.nodeName(), metrics, p.waitForNodes());
        this.runner = new BoundedFrequencyRunner("sync-runner", this::syncProxyRules, options.minSyncPeriod(),
                options.syncPeriod(), options.burstSyncs(), scheduler);
    }

    /** Starts the sync loop (upstream SyncLoop). The scheduler must be running. */
    public void start() {
        if (health != null) {
            health.updated(config.family());
        }
        metrics.syncProxyRulesLastQueuedTimestamp.set(ProxyMetrics.seconds(scheduler.now()));
        runner.start();
    }

    public void stop() {
        runner.stop();
        if (serviceHealth != null) {
            serviceHealth.close();
        }
    }

    /** {@code --cleanup}: deletes the kube-proxy table (upstream CleanupLeftovers). */
    public static List<KernelException> cleanup(Nft nft) {
        try {
            nft.deleteTable();
            return List.of();
        } catch (KernelException e) {
            return List.of(e);
        }
    }

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

    /** Node labels feed endpoint selection everywhere: a change needs a full sync, as upstream. */
    @Override
    public synchronized boolean setNode(NodeInfo info) {
        if (!inputs.setNode(info)) {
            return false;
        }
        needFullSync = true;
        return true;
    }

    /** Successful syncs so far, and how many of them were full (for tests and benchmarks). */
    public long syncs() {
        return syncs;
    }

    public long fullSyncs() {
        return fullSyncs;
    }

    /** One sync (upstream syncProxyRules); normally run by the runner. */
    @Override
    public synchronized void syncProxyRules() {
        if (!inputs.initialized()) {
            LOG.fine("Not syncing nftables until Services and Endpoints have been received");
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
            deleteStaleChains(start);
            ProxyState state = new ProxyState(svcPortMap, endpointsMap, inputs.node());
            Set<String> changed = new HashSet<>(serviceUpdates.updatedServices());
            changed.addAll(endpointUpdates.updatedServices());
            NftSyncInput input;
            if (full) {
                Nft.Names names = existingNames();
                input = new NftSyncInput(state, true, Set.of(), names.chains(), names.sets());
            } else {
                input = NftSyncInput.partial(state, changed);
            }
            NftTransaction tx = compiler.compile(input, book);
            if (!tx.isEmpty()) {
                try {
                    nft.run(tx.text());
                } catch (KernelException e) {
                    metrics.nftablesSyncFailures.inc();
                    throw e;
                }
            }
            book.markStale(tx.flushedStaleChains(), start);
            success = true;
            needFullSync = false;
            syncs++;
            if (full) {
                lastFullSync = start;
                fullSyncs++;
            }
            afterSuccess(state, serviceUpdates, endpointUpdates);
        } catch (KernelException | RuntimeException e) {
            LOG.log(Level.SEVERE, "nftables sync failed; retrying in " + options.syncPeriod(), e);
        } finally {
            if (!success) {
                // what the book says may not be in the kernel: start over with a full sync
                book.clear();
                needFullSync = true;
                runner.retryAfter(options.syncPeriod());
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            metrics.syncProxyRulesDuration.observe(seconds);
            (full ? metrics.syncFullProxyRulesDuration : metrics.syncPartialProxyRulesDuration).observe(seconds);
        }
    }

    private Nft.Names existingNames() {
        try {
            return nft.names();
        } catch (KernelException e) {
            LOG.log(Level.WARNING, "Failed to list the nftables table: stale chains will not be deleted", e);
            return new Nft.Names(Set.of(), Set.of());
        }
    }

    /** Deletes the chains flushed as stale at least a second ago, in a transaction of their own. */
    private void deleteStaleChains(Instant now) {
        List<String> chains = book.takeStaleChainsBefore(now.minus(STALE_CHAIN_DELAY));
        if (chains.isEmpty()) {
            return;
        }
        StringBuilder tx = new StringBuilder();
        for (String c : chains) {
            tx.append("delete chain ").append(compiler.family()).append(' ').append(NftablesCompiler.TABLE)
                    .append(' ').append(c).append('\n');
        }
        try {
            nft.run(tx.toString());
        } catch (KernelException e) {
            // a full sync lists the table and finds whatever is still there
            metrics.nftablesCleanupFailures.inc();
            LOG.log(Level.WARNING, "Unable to delete stale chains; will retry on a full sync", e);
            needFullSync = true;
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
        staleFlows.clean(svcPortMap, svc, eps)
                .forEach(e -> LOG.log(Level.WARNING, "Failed to delete stale conntrack flows", e));
    }
}
