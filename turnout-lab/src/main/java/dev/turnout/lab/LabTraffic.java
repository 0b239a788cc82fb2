package dev.turnout.lab;

import dev.turnout.lab.netexec.DialResult;
import dev.turnout.lab.netexec.NetexecClient;
import dev.turnout.lab.netns.CommandResult;
import dev.turnout.lab.netns.Netns;
import dev.turnout.model.Ips;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends test traffic from inside a namespace: one {@link NetexecClient} JVM per call runs all requests
 * in sequence, each on a fresh connection or socket (a new source port each time, so every request is
 * a separate conntrack entry and load-balancing decision), and reports one result per request.
 * {@link #udpFlow(int)} instead keeps all UDP requests in one flow; {@link #fromIp(String)} picks the
 * source address.
 */
public final class LabTraffic {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration JVM_ALLOWANCE = Duration.ofSeconds(20);

    private final Netns netns;
    private final String sourceIp;
    private final int sourcePort;
    private final boolean reuseSocket;

    public LabTraffic(Netns netns) {
        this(netns, null, 0, false);
    }

    private LabTraffic(Netns netns, String sourceIp, int sourcePort, boolean reuseSocket) {
        this.netns = netns;
        this.sourceIp = sourceIp;
        this.sourcePort = sourcePort;
        this.reuseSocket = reuseSocket;
    }

    /** Requests from this source address, which the sending namespace must own. */
    public LabTraffic fromIp(String ip) {
        return new LabTraffic(netns, ip, sourcePort, reuseSocket);
    }

    /**
     * UDP requests from one socket bound to {@code port}: one conntrack flow for all of them, and the
     * same flow again on the next call with the same port (until conntrack forgets it).
     */
    public LabTraffic udpFlow(int port) {
        return new LabTraffic(netns, sourceIp, port, true);
    }

    /** {@code count} HTTP GETs of {@code path} to ip:port from {@code namespace}. */
    public List<DialResult> http(String namespace, String ip, int port, String path, int count) {
        return run(namespace, "http", ip, port, path, count);
    }

    /** {@code count} UDP datagrams carrying {@code payload} (e.g. {@code hostname}) to ip:port. */
    public List<DialResult> udp(String namespace, String ip, int port, String payload, int count) {
        return run(namespace, "udp", ip, port, payload, count);
    }

    /** The bodies of the results, with failures as {@code "ERR: <reason>"} so they show up in assertion diffs. */
    public static List<String> bodies(List<DialResult> results) {
        return results.stream().map(r -> r.ok() ? r.body() : "ERR: " + r.error()).toList();
    }

    private List<DialResult> run(String namespace, String protocol, String ip, int port, String request, int count) {
        List<String> argv = JavaCommand.forMain(NetexecClient.class, List.of(
                "--protocol", protocol, "--target", Ips.hostPort(ip, port), "--request", request,
                "--count", Integer.toString(count),
                "--connect-timeout-ms", Long.toString(CONNECT_TIMEOUT.toMillis()),
                "--timeout-ms", Long.toString(READ_TIMEOUT.toMillis())));
        argv = new ArrayList<>(argv);
        if (sourceIp != null) {
            argv.addAll(List.of("--source-ip", sourceIp));
        }
        if (sourcePort != 0) {
            argv.addAll(List.of("--source-port", Integer.toString(sourcePort)));
        }
        if (reuseSocket) {
            argv.addAll(List.of("--reuse-socket", "true"));
        }
        Duration worstCase = CONNECT_TIMEOUT.plus(READ_TIMEOUT).multipliedBy(count).plus(JVM_ALLOWANCE);
        CommandResult r = netns.exec(namespace, argv, worstCase).orThrow();
        List<DialResult> results = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                results.add(DialResult.fromLine(line));
            }
        }
        if (results.size() != count) {
            throw new IllegalStateException("expected " + count + " results from " + namespace + ", got " + results.size()
                    + ": " + r.stdout() + r.stderr());
        }
        return results;
    }
}
