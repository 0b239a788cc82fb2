package dev.turnout.cli;

import dev.turnout.model.IpFamily;
import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ManifestSource;
import dev.turnout.proxy.iptables.IptablesCleanup;
import dev.turnout.proxy.iptables.IptablesCompiler;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.IptablesProxyServer;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.kernel.IptablesCli;
import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.kernel.NftCli;
import dev.turnout.proxy.kernel.ProcessCommandRunner;
import dev.turnout.proxy.nftables.NftablesCompiler;
import dev.turnout.proxy.nftables.NftablesOptions;
import dev.turnout.proxy.nftables.NftablesProxier;
import dev.turnout.proxy.nftables.NftablesProxyServer;
import dev.turnout.proxy.userspace.ProxyEngine;
import dev.turnout.proxy.userspace.ServiceAddresses;
import dev.turnout.proxy.userspace.UserspaceConfig;
import dev.turnout.proxy.userspace.UserspaceProxyServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code turnout proxy}: kube-proxy for the node whose network namespace it runs in. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Program this node's kernel (iptables, nftables) or relay in user space (userspace) from Services "
                + "and EndpointSlices and keep it in step, as kube-proxy does. Runs until stopped; --cleanup removes everything it made.")
final class ProxyCommand implements Callable<Integer> {
    /** The dataplanes {@code proxy} can run; {@code rules} prints the kernel ones' rules only. */
    enum Mode { iptables, nftables, userspace }

    /** How the userspace mode makes Service addresses bindable. */
    enum Addresses { auto, dummy, loopback }

    @Option(names = "--mode", defaultValue = "iptables", paramLabel = "MODE",
            description = "Dataplane: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--userspace-addresses", defaultValue = "auto", paramLabel = "HOW",
            description = "userspace mode: dummy adds Service IPs as /32 to a dummy interface turnout0 in this "
                    + "network namespace (needs root); loopback serves only Services whose addresses are in "
                    + "127.0.0.0/8 and skips the others; auto is dummy as root, else loopback (default: ${DEFAULT-VALUE}).")
    Addresses userspaceAddresses;

    @Option(names = "--udp-timeout", defaultValue = "250ms", paramLabel = "DURATION",
            description = "userspace mode: a UDP session ends after this long without a datagram (default: ${DEFAULT-VALUE}).")
    String udpTimeout;

    @Option(names = "--manifests", paramLabel = "PATH",
            description = "Follow Services, EndpointSlices and Nodes in these YAML/JSON files.")
    Path manifests;

    @Option(names = "--cleanup", description = "Remove every rule and chain the proxy made, then exit.")
    boolean cleanup;

    @Option(names = {"--min-sync-period", "--iptables-min-sync-period"}, defaultValue = "1s", paramLabel = "DURATION",
            description = "Shortest time between syncs, e.g. 1s, 250ms, 0s (default: ${DEFAULT-VALUE}).")
    String minSyncPeriod;

    @Option(names = {"--sync-period", "--iptables-sync-period"}, defaultValue = "30s", paramLabel = "DURATION",
            description = "Longest time between syncs, and the retry delay after a failed one (default: ${DEFAULT-VALUE}).")
    String syncPeriod;

    @Option(names = "--healthz-bind-address", defaultValue = "0.0.0.0:10256", paramLabel = "IP:PORT",
            description = "Where /healthz listens; an empty value turns it off (default: ${DEFAULT-VALUE}).")
    String healthzBind;

    @Option(names = "--metrics-bind-address", defaultValue = "127.0.0.1:10249", paramLabel = "IP:PORT",
            description = "Where /metrics listens; an empty value turns it off (default: ${DEFAULT-VALUE}).")
    String metricsBind;

    @Mixin
    DataplaneOptions dataplane;

    @Override
    public Integer call() throws Exception {
        ProcessCommandRunner runner = new ProcessCommandRunner(null, Duration.ofMinutes(1));
        if (mode == Mode.userspace) {
            return userspace(runner);
        }
        if (cleanup) {
            List<KernelException> errors = mode == Mode.nftables
                    ? NftablesProxier.cleanup(new NftCli(runner, "ip", NftablesCompiler.TABLE))
                    : new IptablesCleanup(new IptablesCli(runner, IpFamily.IPv4), true).run();
            errors.forEach(e -> System.err.println("cleanup: " + e.getMessage()));
            return errors.isEmpty() ? 0 : Main.EXIT_FAILURE;
        }
        if (manifests == null) {
            throw new UsageException("--manifests: required (the source of Services and EndpointSlices)");
        }
        IptablesConfig config = dataplane.toConfig();
        SyncOptions sync = syncOptions();
        var options = new IptablesProxyServer.Options(config, sync, false, address("--healthz-bind-address", healthzBind),
                address("--metrics-bind-address", metricsBind), "0.0.0.0");
        if (mode == Mode.nftables) {
            NftablesProxyServer server = new NftablesProxyServer(options, NftablesOptions.DEFAULTS, runner);
            return serveUntilStopped(server, server::start, config.nodeName() + ", mode nftables");
        }
        IptablesProxyServer server = new IptablesProxyServer(options, new IptablesCompiler(config)::compile, runner);
        return serveUntilStopped(server, server::start, config.nodeName() + ", mode iptables");
    }

    /** How a proxy server of any mode begins: with the source it follows. */
    private interface Start {
        void start(ClusterSource source) throws Exception;
    }

    /** Starts a proxy server on the manifests and runs until the process is told to stop (SIGTERM, Ctrl-C). */
    private int serveUntilStopped(AutoCloseable server, Start start, String what) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (server) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("proxy: stopping: " + e.getMessage());
                }
                stopped.countDown();
            }, "proxy-shutdown"));
            start.start(new ManifestSource(manifests, msg -> System.err.println("proxy: " + msg)));
            System.err.println("proxy: node " + what + ", following " + manifests);
            stopped.await();
        }
        return 0;
    }

    private Integer userspace(ProcessCommandRunner runner) throws Exception {
        if (cleanup) {
            var r = runner.run(List.of("ip", "link", "del", ServiceAddresses.DUMMY_INTERFACE));
            boolean absent = r.stderr().contains("Cannot find device");
            if (!r.ok() && !absent) {
                System.err.println("cleanup: " + r.describe());
                return Main.EXIT_FAILURE;
            }
            return 0;
        }
        if (manifests == null) {
            throw new UsageException("--manifests: required (the source of Services and EndpointSlices)");
        }
        IptablesConfig ipt = dataplane.toConfig();
        Duration udp = Durations.parse("--udp-timeout", udpTimeout);
        if (udp.isZero() || udp.isNegative()) {
            throw new UsageException("--udp-timeout: " + udpTimeout + " must be positive");
        }
        boolean dummy = switch (userspaceAddresses) {
            case dummy -> true;
            case loopback -> false;
            case auto -> isRoot();
        };
        List<String> nodeIps = ipt.nodeIps().isEmpty() && !dummy ? List.of("127.0.0.1") : ipt.nodeIps();
        UserspaceConfig config = new UserspaceConfig(ipt.nodeName(), nodeIps,
                dummy ? UserspaceConfig.AddressMode.DUMMY : UserspaceConfig.AddressMode.LOOPBACK, 0, true,
                ProxyEngine.DEFAULT_CONNECT_TIMEOUT, udp);
        var options = new UserspaceProxyServer.Options(config, syncOptions(),
                address("--healthz-bind-address", healthzBind), address("--metrics-bind-address", metricsBind));
        UserspaceProxyServer server = new UserspaceProxyServer(options, runner);
        return serveUntilStopped(server, server::start, config.nodeName() + ", mode userspace ("
                + config.addresses().name().toLowerCase(java.util.Locale.ROOT) + " addresses)");
    }

    private SyncOptions syncOptions() {
        Duration max = Durations.parse("--sync-period", syncPeriod);
        Duration min = Durations.parse("--min-sync-period", minSyncPeriod);
        if (max.compareTo(min) < 0 || max.isZero()) {
            throw new UsageException("--sync-period: " + syncPeriod + " must be positive and at least --min-sync-period ("
                    + minSyncPeriod + ")");
        }
        return new SyncOptions(max, min, SyncOptions.DEFAULTS.fullSyncPeriod(), SyncOptions.DEFAULTS.burstSyncs());
    }

    static boolean isRoot() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** IP:PORT, or null for an empty value (the server is turned off). */
    private static InetSocketAddress address(String flag, String value) {
        return value == null || value.isBlank() ? null : SocketAddresses.parse(flag, value, -1);
    }
}
