package dev.turnout.proxy.iptables;

import dev.turnout.proxy.kernel.Iptables;
import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.runner.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Notices when someone flushes iptables (a firewall reload, {@code iptables -F -X}) and asks for a
 * full sync, as upstream's {@code iptables.Monitor}: it keeps an empty KUBE-PROXY-CANARY chain in
 * the mangle, nat and filter tables and checks every {@code interval} (the sync period) that the
 * mangle one still exists. When it is gone, it waits (up to 5 s) until the others are gone too, so
 * as not to reload in the middle of the flush, then runs {@code reload} and sets the canaries up
 * again.
 *
 * <p>Without it a flush is repaired only when a partial sync happens to fail on a missing chain;
 * if the next sync rewrites every Service (they all changed) it succeeds, and the jumps from the
 * built-in chains stay missing until the next full sync, an hour later.
 */
final class CanaryMonitor {
    private static final Logger LOG = Logger.getLogger(CanaryMonitor.class.getName());
    /** The canary's tables; the first is the one polled. */
    static final List<String> TABLES = List.of("mangle", "nat", "filter");
    static final Duration FLUSH_POLL = Duration.ofMillis(100);
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final Iptables iptables;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Runnable reload;
    private Scheduler.Cancellable pending;
    private volatile boolean stopped;

    CanaryMonitor(Iptables iptables, Scheduler scheduler, Duration interval, Runnable reload) {
        this.iptables = iptables;
        this.scheduler = scheduler;
        this.interval = interval;
        this.reload = reload;
    }

    void start() {
        scheduler.execute(this::setUp);
    }

    synchronized void stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    /** Creates the canaries; retried every interval until it works (upstream PollImmediateUntil). */
    void setUp() {
        if (stopped) {
            return;
        }
        for (String table : TABLES) {
            try {
                iptables.ensureChain(table, JumpRule.CANARY_CHAIN);
            } catch (KernelException e) {
                LOG.log(Level.WARNING, "Could not set up iptables canary " + table + "/" + JumpRule.CANARY_CHAIN, e);
                later(interval, this::setUp);
                return;
            }
        }
        later(interval, this::check);
    }

    /** One poll: the canary is there (look again later), or it was flushed away. */
    void check() {
        if (stopped) {
            return;
        }
        boolean exists;
        try {
            exists = iptables.chainExists(TABLES.get(0), JumpRule.CANARY_CHAIN);
        } catch (KernelException e) {
            LOG.log(Level.WARNING, "Could not check for iptables canary", e);
            exists = true; // cannot tell: do not reload on a failed check, look again later
        }
        if (exists) {
            later(interval, this::check);
            return;
        }
        LOG.info("iptables canary " + TABLES.get(0) + "/" + JumpRule.CANARY_CHAIN + " deleted");
        awaitFlushed(scheduler.now().plus(FLUSH_TIMEOUT));
    }

    private void awaitFlushed(java.time.Instant deadline) {
        if (stopped) {
            return;
        }
        boolean allGone = true;
        for (String table : TABLES.subList(1, TABLES.size())) {
            try {
                allGone &= !iptables.chainExists(table, JumpRule.CANARY_CHAIN);
            } catch (KernelException e) {
                allGone = false;
            }
        }
        if (!allGone && scheduler.now().isBefore(deadline)) {
            later(FLUSH_POLL, () -> awaitFlushed(deadline));
            return;
        }
        if (!allGone) {
            LOG.info("Inconsistent iptables state detected");
        }
        LOG.info("Reloading after iptables flush");
        reload.run();
        setUp();
    }

    private synchronized void later(Duration delay, Runnable task) {
        if (!stopped) {
            pending = scheduler.schedule(delay, task);
        }
    }
}
