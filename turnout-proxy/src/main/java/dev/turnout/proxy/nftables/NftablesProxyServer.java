package dev.turnout.proxy.nftables;

import dev.turnout.model.IpFamily;
import dev.turnout.model.source.ClusterSource;
import dev.turnout.proxy.ProxyServerParts;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ServiceHealthServer;
import dev.turnout.proxy.iptables.IptablesProxyServer;
import dev.turnout.proxy.kernel.CommandRunner;
import dev.turnout.proxy.kernel.ConntrackCli;
import dev.turnout.proxy.kernel.NftCli;
import dev.turnout.proxy.metrics.ProxyMetrics;
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
    private final ProxyServerParts parts = new ProxyServerParts(metrics);
    private NftablesProxier proxier;

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
        parts.start("turnout-sync-nft-" + options.config().family(), options.sync().healthTimeout(), options.metricsBind(),
                options.healthzBind());
        ProxyHealth health = parts.health();
        ServiceHealthServer serviceHealth = options.healthCheckBindAddress() == null ? null
                : new ServiceHealthServer(options.healthCheckBindAddress(), () -> health.health().healthy());
        proxier = new NftablesProxier(new NftablesProxier.Parts(options.config(),
                new NftablesCompiler(options.config(), nftOptions),
                new NftCli(runner, nftFamily(options.config().family()), NftablesCompiler.TABLE),
                new ConntrackCli(runner), parts.scheduler(), options.sync(), metrics, health, serviceHealth,
                options.waitForNodes()));
        proxier.start();
        parts.attach(proxier, source);
        LOG.info("nftables proxy started for node " + options.config().nodeName());
    }

    public synchronized NftablesProxier proxier() {
        return proxier;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public synchronized int healthzPort() {
        return parts.healthzPort();
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
