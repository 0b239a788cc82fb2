package dev.turnout.lab.netexec;

import java.util.List;

/**
 * The agnhost netexec flags we support. {@code --udp-port -1} disables UDP as upstream; port 0 picks a
 * free port (useful for tests on loopback). Accepts both {@code --flag=value} and {@code --flag value}.
 */
public record NetexecOptions(int httpPort, int udpPort) {

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_UDP_PORT = 8081;

    public static NetexecOptions defaults() {
        return new NetexecOptions(DEFAULT_HTTP_PORT, DEFAULT_UDP_PORT);
    }

    public boolean udpEnabled() {
        return udpPort != -1;
    }

    public static NetexecOptions parse(List<String> args) {
        int http = DEFAULT_HTTP_PORT;
        int udp = DEFAULT_UDP_PORT;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--http-port") && !name.equals("--udp-port")) {
                throw new IllegalArgumentException("unknown flag " + arg + " (supported: --http-port, --udp-port)");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag " + name + " needs a value");
                }
                value = args.get(++i);
            }
            int port = Integer.parseInt(value);
            if (name.equals("--http-port")) {
                http = port;
            } else {
                udp = port;
            }
        }
        return new NetexecOptions(http, udp);
    }
}
