package dev.turnout.cli;

import dev.turnout.model.IpFamily;
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
        description = "Program this node's kernel from Services and EndpointSlices and keep it in step, "
                + "as kube-proxy does. Runs until stopped; --cleanup removes everything it made.")
final class ProxyCommand implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "iptables", paramLabel = "MODE",
            description = "Dataplane: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    RulesCommand.Mode mode;

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
        if (cleanup) {
            List<KernelException> errors = switch (mode) {
                case nftables -> NftablesProxier.cleanup(new NftCli(runner, "ip", NftablesCompiler.TABLE));
                default -> new IptablesCleanup(new IptablesCli(runner, IpFamily.IPv4), true).run();
            };
            errors.forEach(e -> System.err.println("cleanup: " + e.getMessage()));
            return errors.isEmpty() ? 0 : Main.EXIT_FAILURE;
        }
        if (manifests == null) {
            throw new UsageException("--manifests: required (the source of Services and EndpointSlices)");
        }
        IptablesConfig config = dataplane.toConfig();
        Duration max = Durations.parse("--sync-period", syncPeriod);
        Duration min = Durations.parse("--min-sync-period", minSyncPeriod);
        if (max.compareTo(min) < 0 || max.isZero()) {
            throw new UsageException("--sync-period: " + syncPeriod + " must be positive and at least --min-sync-period ("
                    + minSyncPeriod + ")");
        }
        SyncOptions sync = new SyncOptions(max, min, SyncOptions.DEFAULTS.fullSyncPeriod(), SyncOptions.DEFAULTS.burstSyncs());
        var options = new IptablesProxyServer.Options(config, sync, false, address("--healthz-bind-address", healthzBind),
                address("--metrics-bind-address", metricsBind), "0.0.0.0");
        if (mode == RulesCommand.Mode.nftables) {
            return runNftables(options, runner);
        }
        IptablesCompiler compiler = new IptablesCompiler(config);
        CountDownLatch stopped = new CountDownLatch(1);
        try (IptablesProxyServer server = new IptablesProxyServer(options, compiler::compile, runner)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "proxy-shutdown"));
            server.start(new ManifestSource(manifests, msg -> System.err.println("proxy: " + msg)));
            System.err.println("proxy: node " + config.nodeName() + ", mode " + mode + ", following " + manifests);
            stopped.await();
        }
        return 0;
    }

    private int runNftables(IptablesProxyServer.Options options, ProcessCommandRunner runner) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (NftablesProxyServer server = new NftablesProxyServer(options, NftablesOptions.DEFAULTS, runner)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "proxy-shutdown"));
            server.start(new ManifestSource(manifests, msg -> System.err.println("proxy: " + msg)));
            System.err.println("proxy: node " + options.config().nodeName() + ", mode " + mode + ", following " + manifests);
            stopped.await();
        }
        return 0;
    }

    private static InetSocketAddress address(String flag, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        try {
            String host = value.substring(0, colon).replace("[", "").replace("]", "");
            if (dev.turnout.model.Ips.canonical(host) == null) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, Integer.parseInt(value.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new UsageException(flag + ": \"" + value + "\" is not IP:PORT; allowed: e.g. 0.0.0.0:10256, or empty to turn off");
        }
    }
}
