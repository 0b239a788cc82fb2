package dev.turnout.proxy.userspace;

import dev.turnout.model.Endpoint;
import dev.turnout.model.IpFamily;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxierEvents;
import dev.turnout.proxy.ProxierInputs;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.BoundedFrequencyRunner;
import dev.turnout.proxy.runner.Scheduler;
import dev.turnout.proxy.topology.TopologyFilter;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The userspace proxier: the same change trackers and bounded-frequency sync loop as the iptables
 * mode, but a sync reconciles Netty listeners instead of writing rules. Each sync works from the
 * whole state (cheap here): listeners no longer wanted are closed (their connections go on),
 * missing ones are bound (a failed bind is logged and retried next sync), and every backend set
 * gets its new endpoints and affinity.
 */
public final class UserspaceProxier implements ProxierEvents {
    private static final Logger LOG = Logger.getLogger(UserspaceProxier.class.getName());

    private final UserspaceConfig config;
    private final ProxyEngine engine;
    private final ServiceAddresses addresses;
    private final Scheduler scheduler;
    private final SyncOptions options;
    private final ProxyMetrics metrics;
    private final ProxyHealth health;
    private final TopologyFilter topology = new TopologyFilter(false);
    private final ProxierInputs inputs;
    private final BoundedFrequencyRunner runner;

    // Guarded by "this".
    private final Map<ServicePortName, ServicePort> svcPortMap = new TreeMap<>();
    private final Map<ServicePortName, List<Endpoint>> endpointsMap = new TreeMap<>();
    private final Map<String, BackendSet> sets = new HashMap<>();
    private final Map<ListenerKey, String> listenerSets = new TreeMap<>();
    private final Set<String> acquired = new HashSet<>();

    public UserspaceProxier(UserspaceConfig config, ProxyEngine engine, ServiceAddresses addresses,
            Scheduler scheduler, SyncOptions options, ProxyMetrics metrics, ProxyHealth health) {
        this.config = Objects.requireNonNull(config, "config");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.options = options;
        this.metrics = metrics == null ? new ProxyMetrics() : metrics;
        this.health = health;
        // Userspace mode does not wait for Nodes: its first sync needs Services and EndpointSlices only.
        this.inputs = new ProxierInputs(IpFamily.IPv4, config.nodeName(), this.metrics, false);
        this.runner = new BoundedFrequencyRunner("userspace-sync", this::sync0, options.minSyncPeriod(),
                options.syncPeriod(), options.burstSyncs(), scheduler);
    }

    public ProxyEngine engine() {
        return engine;
    }

    /** Starts the sync loop; the scheduler must be running. */
    public void start() {
        if (health != null) {
            health.updated(IpFamily.IPv4);
        }
        runner.start();
    }

    /** Stops syncing, closes every listener and connection, and removes the addresses it added. */
    public void stop() {
        runner.stop();
        synchronized (this) {
            for (ListenerKey k : List.copyOf(listenerSets.keySet())) {
                engine.close(k);
            }
            listenerSets.clear();
        }
        engine.close();
        addresses.close();
    }

    /** Asks for a sync as soon as the pacing allows. */
    @Override
    public void sync() {
        if (health != null) {
            health.queuedUpdate(IpFamily.IPv4);
        }
        runner.run();
    }

    /** Syncs now, once Services and EndpointSlices have synced. */
    @Override
    public void syncProxyRules() {
        sync0();
    }

    @Override
    public ProxierInputs inputs() {
        return inputs;
    }

    @Override
    public ProxyHealth health() {
        return health;
    }

    /** The zone label feeds topology; the next sync picks the new Node up, no full sync needed. */
    @Override
    public synchronized boolean setNode(NodeInfo info) {
        return inputs.setNode(info);
    }

    private void sync0() {
        if (!inputs.initialized()) {
            return;
        }
        boolean ok = syncState();
        if (!ok) {
            runner.retryAfter(options.syncPeriod());
        }
    }

    /** One sync from the trackers' pending changes. Returns false when some listener could not be bound. */
    synchronized boolean syncState() {
        long start = System.nanoTime();
        inputs.serviceChanges().applyTo(svcPortMap);
        inputs.endpointsChanges().applyTo(endpointsMap);
        boolean ok = apply(new ProxyState(svcPortMap, endpointsMap, inputs.node()));
        metrics.syncProxyRulesDuration.observe((System.nanoTime() - start) / 1e9);
        metrics.syncProxyRulesLastTimestamp.set(ProxyMetrics.seconds(scheduler.now()));
        if (ok && health != null) {
            health.updated(IpFamily.IPv4);
        }
        return ok;
    }

    /** Reconciles listeners and backend sets with {@code state}. Package-visible for tests. */
    synchronized boolean apply(ProxyState state) {
        Map<ListenerKey, ListenerPlan.Target> plan = ListenerPlan.of(state, config.nodeName(), config.nodeIps(),
                topology);
        boolean ok = true;
        // Backend sets first, so a listener that stays sees its new endpoints at once.
        Set<String> changedSets = new HashSet<>();
        Set<String> wantedSets = new HashSet<>();
        for (ListenerPlan.Target t : plan.values()) {
            if (wantedSets.add(t.set())) {
                boolean fresh = !sets.containsKey(t.set());
                BackendSet set = sets.computeIfAbsent(t.set(), BackendSet::new);
                if (set.update(t.endpoints(), t.affinity()) || fresh) {
                    changedSets.add(t.set());
                    LOG.info("backends of " + t.set() + ": " + t.endpoints());
                }
            }
        }
        // Close what is no longer wanted; accepted TCP connections go on. A port without endpoints
        // has no listener: its address stays, so the kernel refuses (TCP RST, ICMP port unreachable
        // for UDP) as the iptables mode's REJECT does.
        for (ListenerKey k : List.copyOf(listenerSets.keySet())) {
            ListenerPlan.Target t = plan.get(k);
            if (t == null || !t.set().equals(listenerSets.get(k)) || t.endpoints().isEmpty()) {
                engine.close(k);
                listenerSets.remove(k);
                LOG.info("stopped listening on " + k);
            }
        }
        Set<String> planIps = new HashSet<>();
        plan.keySet().forEach(k -> planIps.add(k.ip()));
        for (String ip : List.copyOf(acquired)) {
            if (!planIps.contains(ip)) {
                addresses.release(ip);
                acquired.remove(ip);
            }
        }
        for (Map.Entry<ListenerKey, ListenerPlan.Target> e : plan.entrySet()) {
            ListenerKey k = e.getKey();
            BackendSet set = sets.get(e.getValue().set());
            if (listenerSets.containsKey(k)) {
                if (changedSets.contains(set.name())) {
                    engine.listeners().get(k).backendsChanged();
                }
                continue;
            }
            try {
                if (!acquired.contains(k.ip())) {
                    if (!addresses.acquire(k.ip())) {
                        continue;
                    }
                    acquired.add(k.ip());
                }
                if (e.getValue().endpoints().isEmpty()) {
                    continue;
                }
                engine.open(k, set);
                listenerSets.put(k, set.name());
                LOG.info("listening on " + k + " for " + set.name());
            } catch (IOException | RuntimeException e2) {
                ok = false;
                LOG.log(Level.WARNING, "cannot listen on " + k + " for " + set.name() + ": " + e2.getMessage());
            } catch (Exception e2) {
                ok = false;
                if (e2 instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(Level.WARNING, "cannot listen on " + k + " for " + set.name() + ": " + e2);
            }
        }
        sets.keySet().retainAll(wantedSets);
        return ok;
    }

    /** The listeners now open, each with its backend set's name. */
    public synchronized Map<ListenerKey, String> listeners() {
        return Map.copyOf(listenerSets);
    }

    /** The backend set serving {@code key}, or null. */
    public synchronized BackendSet backendsOf(ListenerKey key) {
        String name = listenerSets.get(key);
        return name == null ? null : sets.get(name);
    }
}
