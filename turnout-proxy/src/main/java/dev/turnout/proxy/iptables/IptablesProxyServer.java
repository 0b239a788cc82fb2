package dev.turnout.proxy.iptables;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.proxy.ProxyServerParts;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ProxyHealthServer;
import dev.turnout.proxy.healthz.ServiceHealthServer;
import dev.turnout.proxy.kernel.CommandRunner;
import dev.turnout.proxy.metrics.MetricsServer;
import dev.turnout.proxy.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A whole iptables-mode kube-proxy process, as upstream's app/server.go wires it: sync thread,
 * proxier on the real kernel (through {@code runner}, so optionally inside a netns), /healthz and
 * /metrics servers, health-check NodePort servers, and the object source. {@link #start} brings it
 * all up in that order; {@link #close} takes it down in reverse.
 */
public final class IptablesProxyServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IptablesProxyServer.class.getName());

    /**
     * @param healthzBind the /healthz address (kube-proxy: 0.0.0.0:10256), or null for none
     * @param metricsBind the /metrics address (kube-proxy: 127.0.0.1:10249), or null for none
     * @param healthCheckBindAddress where health-check NodePorts listen ("0.0.0.0"), or null for none
     */
    public record Options(IptablesConfig config, SyncOptions sync, boolean waitForNodes,
            InetSocketAddress healthzBind, InetSocketAddress metricsBind, String healthCheckBindAddress) {
        public static Options defaults(IptablesConfig config) {
            return new Options(config, SyncOptions.DEFAULTS, false,
                    new InetSocketAddress("0.0.0.0", ProxyHealthServer.DEFAULT_PORT),
                    new InetSocketAddress("127.0.0.1", MetricsServer.DEFAULT_PORT), "0.0.0.0");
        }
    }

    private final Options options;
    private final Function<SyncInput, CompiledRules> compiler;
    private final CommandRunner runner;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final ProxyServerParts parts = new ProxyServerParts(metrics);
    private IptablesProxier proxier;

    public IptablesProxyServer(Options options, Function<SyncInput, CompiledRules> compiler, CommandRunner runner) {
        this.options = options;
        this.compiler = compiler;
        this.runner = runner;
    }

    public synchronized void start(ClusterSource source) throws Exception {
        parts.start("turnout-sync-" + options.config().family(), options.sync().healthTimeout(), options.metricsBind(),
                options.healthzBind());
        ProxyHealth health = parts.health();
        IptablesProxierBuilder b = IptablesProxier.builder(options.config(), compiler)
                .kernel(runner).scheduler(parts.scheduler()).options(options.sync()).metrics(metrics).health(health)
                .waitForNodes(options.waitForNodes());
        if (options.healthCheckBindAddress() != null) {
            b.serviceHealth(new ServiceHealthServer(options.healthCheckBindAddress(),
                    () -> health.health().healthy()));
        }
        proxier = b.build();
        proxier.start();
        parts.attach(proxier, source);
        LOG.info("iptables proxy started for node " + options.config().nodeName());
    }

    public synchronized IptablesProxier proxier() {
        return proxier;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /** The bound /healthz port (for servers started on port 0). */
    public synchronized int healthzPort() {
        return parts.healthzPort();
    }

    public synchronized int metricsPort() {
        return parts.metricsPort();
    }

    @Override
    public synchronized void close() {
        parts.close(() -> {
            if (proxier != null) {
                proxier.stop();
            }
        });
    }
}
