package dev.turnout.proxy.userspace;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.proxy.ProxyServerParts;
import dev.turnout.proxy.healthz.ProxyHealth;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.kernel.CommandRunner;
import dev.turnout.proxy.metrics.ProxyMetrics;
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
    private final ProxyServerParts parts = new ProxyServerParts(metrics);
    private UserspaceProxier proxier;

    /** @param runner runs {@code ip} for the dummy interface (unused in loopback mode) */
    public UserspaceProxyServer(Options options, CommandRunner runner) {
        this.options = options;
        this.runner = runner;
    }

    public synchronized void start(ClusterSource source) throws Exception {
        UserspaceConfig c = options.config();
        ProxyEngine.quietLeakDetection();
        parts.start("turnout-userspace-sync", options.sync().healthTimeout(), options.metricsBind(),
                options.healthzBind());
        ProxyHealth health = parts.health();
        ServiceAddresses addresses = c.addresses() == UserspaceConfig.AddressMode.DUMMY
                ? ServiceAddresses.dummy(runner, c.nodeIps()) : ServiceAddresses.loopback();
        ProxyEngine engine = new ProxyEngine(Transport.choose(c.preferEpoll()), c.threads(), c.connectTimeout(),
                c.udpIdleTimeout());
        proxier = new UserspaceProxier(c, engine, addresses, parts.scheduler(), options.sync(), metrics, health);
        proxier.start();
        parts.attach(proxier, source);
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
        parts.close(() -> {
            if (proxier != null) {
                proxier.stop();
                proxier = null;
            }
        });
    }
}
