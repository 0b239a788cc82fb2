package dev.turnout.cli;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.PodsMode;
import dev.turnout.dns.server.DnsServer;
import dev.turnout.dns.source.InformerSource;
import dev.turnout.model.source.ManifestSource;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code turnout dns}: cluster DNS for Services and EndpointSlices, as CoreDNS's kubernetes plugin. */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = "Serve the cluster DNS zone (Kubernetes DNS-Based Service Discovery) from Services and "
                + "EndpointSlices over UDP and TCP, forwarding other names upstream. Runs until stopped.")
final class DnsCommand implements Callable<Integer> {
    @Option(names = "--manifests", paramLabel = "PATH",
            description = "Follow Services and EndpointSlices in these YAML/JSON files.")
    Path manifests;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Watch Services and EndpointSlices of the API server this kubeconfig's current context names.")
    Path kubeconfig;

    @Option(names = "--listen", defaultValue = "0.0.0.0:53", paramLabel = "ADDR:PORT",
            description = "UDP and TCP address (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--zone", defaultValue = "cluster.local", paramLabel = "ZONE",
            description = "The cluster domain (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--ttl", defaultValue = "5", paramLabel = "SECONDS",
            description = "TTL of the zone's records, 0..3600 (default: ${DEFAULT-VALUE}).")
    long ttl;

    @Option(names = "--upstream", paramLabel = "ADDR[:PORT]",
            description = "Resolver for names outside the zone; repeat for more, tried in order. None: REFUSED.")
    List<String> upstreams = new ArrayList<>();

    @Option(names = "--pods", defaultValue = "disabled", paramLabel = "MODE",
            description = "Pod A records a-b-c-d.NS.pod.ZONE: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PodsMode pods;

    @Option(names = "--http-listen", defaultValue = "127.0.0.1:9153", paramLabel = "ADDR:PORT",
            description = "Where /health, /ready and /metrics listen; empty turns them off (default: ${DEFAULT-VALUE}).")
    String httpListen;

    @Option(names = "--udp-sockets", defaultValue = "0", paramLabel = "N", hidden = true,
            description = "UDP receive sockets (SO_REUSEPORT); 0 picks one per core, at most 4.")
    int udpSockets;

    @Override
    public Integer call() throws Exception {
        if ((manifests == null) == (kubeconfig == null)) {
            throw new UsageException("exactly one of --kubeconfig FILE or --manifests PATH is required");
        }
        if (kubeconfig != null && !java.nio.file.Files.isRegularFile(kubeconfig)) {
            throw new java.nio.file.NoSuchFileException(kubeconfig.toString());
        }
        Name origin;
        try {
            origin = Name.fromString(zone.endsWith(".") ? zone : zone + ".");
        } catch (TextParseException e) {
            throw new UsageException("--zone: \"" + zone + "\" is not a domain name");
        }
        if (ttl < 0 || ttl > 3600) {
            throw new UsageException("--ttl: " + ttl + " is outside 0..3600");
        }
        List<InetSocketAddress> ups = new ArrayList<>();
        for (String u : upstreams) {
            ups.add(SocketAddresses.parse("--upstream", u, 53));
        }
        InetSocketAddress http = httpListen == null || httpListen.isBlank() ? null : SocketAddresses.parse("--http-listen", httpListen, -1);
        DnsConfig defaults = DnsConfig.defaults(SocketAddresses.parse("--listen", listen, 53));
        DnsConfig config = new DnsConfig(origin, ttl, pods, defaults.listen(), ups, http, Duration.ofSeconds(2),
                udpSockets > 0 ? udpSockets : defaults.udpSockets());
        CountDownLatch stopped = new CountDownLatch(1);
        try (DnsServer server = new DnsServer(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "dns-shutdown"));
            server.start(kubeconfig != null
                    ? InformerSource.fromKubeconfig(kubeconfig, msg -> System.err.println("dns: " + msg))
                    : new ManifestSource(manifests, msg -> System.err.println("dns: " + msg)));
            System.err.println("dns: serving " + origin + " on " + server.udpAddress() + " (udp, tcp), following "
                    + (kubeconfig != null ? "the API server of " + kubeconfig : manifests) + (ups.isEmpty() ? "" : ", forwarding to " + ups)
                    + (server.httpAddress() == null ? "" : ", http " + server.httpAddress()));
            stopped.await();
        }
        return 0;
    }
}
