package dev.turnout.proxy;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ProxyHealthServer;
import dev.turnout.proxy.metrics.MetricsServer;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.SingleThreadScheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What every proxy server (iptables, nftables, userspace) brings up around its proxier, as
 * upstream's app/server.go: the sync thread, the /healthz state, the /metrics and /healthz
 * servers, and the object source. {@link #close} takes them down in reverse, stopping the proxier
 * between the source and the servers. Not thread-safe: its server guards it.
 */
public final class ProxyServerParts {
    private final ProxyMetrics metrics;
    private SingleThreadScheduler scheduler;
    private ProxyHealth health;
    private MetricsServer metricsServer;
    private ProxyHealthServer healthServer;
    private ClusterSource source;

    public ProxyServerParts(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Starts the sync thread, then /metrics and /healthz where an address is given (null: none).
     * What started before a failure is still closed by {@link #close}.
     */
    public void start(String syncThreadName, Duration healthTimeout, InetSocketAddress metricsBind,
            InetSocketAddress healthzBind) throws IOException {
        scheduler = new SingleThreadScheduler(syncThreadName);
        scheduler.start();
        health = new ProxyHealth(scheduler, healthTimeout);
        if (metricsBind != null) {
            metricsServer = new MetricsServer(metricsBind, metrics::scrape);
            metricsServer.start();
        }
        if (healthzBind != null) {
            healthServer = new ProxyHealthServer(healthzBind, health, metrics);
            healthServer.start();
        }
    }

    public SingleThreadScheduler scheduler() {
        return scheduler;
    }

    public ProxyHealth health() {
        return health;
    }

    /** Starts {@code source} delivering to {@code proxier}; {@link #close} closes it first. */
    public void attach(ProxierEvents proxier, ClusterSource source) throws Exception {
        this.source = source;
        proxier.attach(source);
    }

    /** The bound /healthz port (for servers started on port 0). */
    public int healthzPort() {
        return healthServer.port();
    }

    public int metricsPort() {
        return metricsServer.port();
    }

    /** Closes the source, then runs {@code stopProxier}, then closes /healthz, /metrics and the sync thread. */
    public void close(Runnable stopProxier) {
        if (source != null) {
            source.close();
            source = null;
        }
        stopProxier.run();
        if (healthServer != null) {
            healthServer.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }
}
