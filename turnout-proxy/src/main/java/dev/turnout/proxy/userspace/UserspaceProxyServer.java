package dev.turnout.proxy.userspace;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.healthz.ProxyHealthServer;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.kernel.CommandRunner;
import dev.turnout.proxy.metrics.MetricsServer;
import dev.turnout.proxy.metrics.ProxyMetrics;
import dev.turnout.proxy.runner.SingleThreadScheduler;
import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * A whole userspace-mode proxy process, shaped like the iptables one: sync thread, /healthz and
 * /metrics servers, the proxier with its Netty engine, and the object source. {@link #close}
 * takes it down in reverse, removing the dummy interface if it made one.
 */
public final class UserspaceProxyServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UserspaceProxyServer.class.getName());

    /**
     * @param healthzBind the /healthz address, or null for none
     * @param metricsBind the /metrics address, or null for none
     */
    public record Options(UserspaceConfig config, SyncOptions sync, InetSocketAddress healthzBind,
            InetSocketAddress metricsBind) {
    }

    private final Options options;
    private final CommandRunner runner;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private SingleThreadScheduler scheduler;
    private ProxyHealthServer healthServer;
    private MetricsServer metricsServer;
    private UserspaceProxier proxier;
    private ClusterSource source;

    /** @param runner runs {@code ip} for the dummy interface (unused in loopback mode) */
    public UserspaceProxyServer(Options options, CommandRunner runner) {
        this.options = options;
        this.runner = runner;
    }

    public synchronized void start(ClusterSource source) throws Exception {
        UserspaceConfig c = options.config();
        ProxyEngine.quietLeakDetection();
        scheduler = new SingleThreadScheduler("turnout-userspace-sync");
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
        ServiceAddresses addresses = c.addresses() == UserspaceConfig.AddressMode.DUMMY
                ? ServiceAddresses.dummy(runner, c.nodeIps()) : ServiceAddresses.loopback();
        ProxyEngine engine = new ProxyEngine(Transport.choose(c.preferEpoll()), c.threads(), c.connectTimeout(),
                c.udpIdleTimeout());
        proxier = new UserspaceProxier(c, engine, addresses, scheduler, options.sync(), metrics, health);
        proxier.start();
        this.source = source;
        proxier.attach(source);
        LOG.info("userspace proxy started for node " + c.nodeName() + " (" + engine.transport().name() + ", addresses "
                + c.addresses().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    public synchronized UserspaceProxier proxier() {
        return proxier;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (source != null) {
            source.close();
            source = null;
        }
        if (proxier != null) {
            proxier.stop();
            proxier = null;
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
