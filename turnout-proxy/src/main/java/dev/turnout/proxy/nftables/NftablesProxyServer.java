package dev.turnout.proxy.nftables;

import dev.turnout.model.IpFamily;
import dev.turnout.model.source.ClusterSource;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ProxyHealthServer;
import dev.turnout.proxy.healthz.ServiceHealthServer;
import dev.turnout.proxy.iptables.IptablesProxyServer;
import dev.turnout.proxy.kernel.CommandRunner;
import dev.turnout.proxy.kernel.ConntrackCli;
import dev.turnout.proxy.kernel.NftCli;
import dev.turnout.proxy.metrics.MetricsServer;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.SingleThreadScheduler;
import java.util.logging.Logger;

/**
 * A whole nftables-mode kube-proxy process: sync thread, proxier on the real {@code nft} (through
 * {@code runner}, so optionally inside a netns), /healthz and /metrics, health-check NodePort
 * servers, and the object source; as {@link IptablesProxyServer}, whose options it takes.
 */
public final class NftablesProxyServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NftablesProxyServer.class.getName());

    private final IptablesProxyServer.Options options;
    private final NftablesOptions nftOptions;
    private final CommandRunner runner;
    private final ProxyMetrics metrics = ProxyMetrics.forNftables();
    private SingleThreadScheduler scheduler;
    private ProxyHealthServer healthServer;
    private MetricsServer metricsServer;
    private NftablesProxier proxier;
    private ClusterSource source;

    public NftablesProxyServer(IptablesProxyServer.Options options, NftablesOptions nftOptions, CommandRunner runner) {
        this.options = options;
        this.nftOptions = nftOptions;
        this.runner = runner;
    }

    /** The nft family word of a config's family. */
    public static String nftFamily(IpFamily family) {
        return family == IpFamily.IPv6 ? "ip6" : "ip";
    }

    public synchronized void start(ClusterSource source) throws Exception {
        scheduler = new SingleThreadScheduler("turnout-sync-nft-" + options.config().family());
        scheduler.start();
        ProxyHealth health = new ProxyHealth(scheduler, options.sync().healthTimeout());
        if (options.metricsBind() != null) {
            metricsServer = new MetricsServer(options.metricsBind(), metrics::scrape);
            metricsServer.start();
        }
        if (options.healthzBind() != null) {
            healthServer = new ProxyHealthServer(options.healthzBind(), health, metrics);
            healthServer.start();
        }
        ServiceHealthServer serviceHealth = options.healthCheckBindAddress() == null ? null
                : new ServiceHealthServer(options.healthCheckBindAddress(), () -> health.health().healthy());
        proxier = new NftablesProxier(new NftablesProxier.Parts(options.config(),
                new NftablesCompiler(options.config(), nftOptions),
                new NftCli(runner, nftFamily(options.config().family()), NftablesCompiler.TABLE),
                new ConntrackCli(runner), scheduler, options.sync(), metrics, health, serviceHealth,
                options.waitForNodes()));
        proxier.start();
        this.source = source;
        proxier.attach(source);
        LOG.info("nftables proxy started for node " + options.config().nodeName());
    }

    public synchronized NftablesProxier proxier() {
        return proxier;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public synchronized int healthzPort() {
        return healthServer.port();
    }

    @Override
    public synchronized void close() {
        if (source != null) {
            source.close();
            source = null;
        }
        if (proxier != null) {
            proxier.stop();
        }
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
