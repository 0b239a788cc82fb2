package dev.turnout.lab.netexec;

import java.time.Duration;

/**
 * A one-shot traffic generator for lab tests, run inside a namespace: sends {@code --count} requests
 * one after another, each over a fresh connection/socket, and prints one {@link DialResult} line each.
 * <pre>
 *   NetexecClient --protocol http|udp --target IP:PORT --request /hostname [--count N]
 *                 [--connect-timeout-ms 1000] [--timeout-ms 2000]
 * </pre>
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
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--protocol" -> protocol = v;
                case "--target" -> target = v;
                case "--request" -> request = v;
                case "--count" -> count = Integer.parseInt(v);
                case "--connect-timeout-ms" -> connectMs = Integer.parseInt(v);
                case "--timeout-ms" -> timeoutMs = Integer.parseInt(v);
                default -> usage("unknown flag " + args[i]);
            }
        }
        if (target == null || args.length % 2 != 0) {
            usage("--target IP:PORT is required and every flag needs a value");
        }
        int colon = target.lastIndexOf(':');
        String ip = target.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(target.substring(colon + 1));
        Dialer dialer = new Dialer(Duration.ofMillis(connectMs), Duration.ofMillis(timeoutMs));
        for (int i = 0; i < count; i++) {
            DialResult r = protocol.equals("udp") ? dialer.udp(ip, port, request) : dialer.http(ip, port, request);
            System.out.println(r.toLine());
        }
        System.out.flush();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: NetexecClient --protocol http|udp --target IP:PORT --request /path-or-payload"
                + " [--count N] [--connect-timeout-ms MS] [--timeout-ms MS]");
        System.exit(2);
    }
}
