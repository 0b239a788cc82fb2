package dev.turnout.lab.netexec;

import dev.turnout.model.Ips;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A one-shot traffic generator for lab tests, run inside a namespace: sends {@code --count} requests
 * one after another, each over a fresh connection/socket, and prints one {@link DialResult} line each.
 * <pre>
 *   NetexecClient --protocol http|udp --target IP:PORT --request /hostname [--count N]
 *                 [--connect-timeout-ms 1000] [--timeout-ms 2000]
 *                 [--source-ip IP] [--source-port PORT] [--reuse-socket true]
 * </pre>
 * {@code --source-ip} picks the source address (the namespace must own it); {@code --source-port}
 * binds UDP sockets to a fixed port; {@code --reuse-socket true} sends all UDP requests from one
 * socket. The last two keep every datagram in one conntrack flow, also across runs.
 * Exit status 0 even when requests fail: failures are results, reported as {@code ERR} lines.
 */
public final class NetexecClient {

    private NetexecClient() {
    }

    public static void main(String[] args) {
        String protocol = "http";
        String target = null;
        String request = "/hostname";
        int count = 1;
        int connectMs = 1000;
        int timeoutMs = 2000;
        String sourceIp = null;
        int sourcePort = 0;
        boolean reuseSocket = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--protocol" -> protocol = v;
                case "--target" -> target = v;
                case "--request" -> request = v;
                case "--count" -> count = Integer.parseInt(v);
                case "--connect-timeout-ms" -> connectMs = Integer.parseInt(v);
                case "--timeout-ms" -> timeoutMs = Integer.parseInt(v);
                case "--source-ip" -> sourceIp = v;
                case "--source-port" -> sourcePort = Integer.parseInt(v);
                case "--reuse-socket" -> reuseSocket = Boolean.parseBoolean(v);
                default -> usage("unknown flag " + args[i]);
            }
        }
        if (target == null || args.length % 2 != 0) {
            usage("--target IP:PORT is required and every flag needs a value");
        }
        int colon = target.lastIndexOf(':');
        String ip = target.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(target.substring(colon + 1));
        InetSocketAddress local = null;
        if (sourceIp != null || sourcePort != 0) {
            local = sourceIp == null ? new InetSocketAddress(sourcePort)
                    : new InetSocketAddress(Ips.parse(sourceIp), sourcePort);
        }
        Dialer dialer = new Dialer(Duration.ofMillis(connectMs), Duration.ofMillis(timeoutMs), local);
        if (protocol.equals("udp") && reuseSocket) {
            try (Dialer.UdpSession session = dialer.udpSession(ip, port)) {
                for (int i = 0; i < count; i++) {
                    System.out.println(session.request(request).toLine());
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("cannot open UDP socket: " + e);
                System.exit(1);
            }
        } else {
            for (int i = 0; i < count; i++) {
                DialResult r = protocol.equals("udp") ? dialer.udp(ip, port, request) : dialer.http(ip, port, request);
                System.out.println(r.toLine());
            }
        }
        System.out.flush();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: NetexecClient --protocol http|udp --target IP:PORT --request /path-or-payload"
                + " [--count N] [--connect-timeout-ms MS] [--timeout-ms MS] [--source-ip IP] [--source-port PORT]"
                + " [--reuse-socket true|false]");
        System.exit(2);
    }
}
