package dev.turnout.cli;

import dev.turnout.model.Ips;
import java.net.InetSocketAddress;

/** Socket addresses given on the command line, checked before anything binds to them. */
final class SocketAddresses {
    private SocketAddresses() {
    }

    /** IP:PORT, [IPv6]:PORT, or a bare IP when {@code defaultPort} is not -1. */
    static InetSocketAddress parse(String flag, String value, int defaultPort) {
        String v = value.trim();
        String host;
        String port;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            host = close < 0 ? "" : v.substring(1, close);
            port = close >= 0 && v.length() > close + 1 && v.charAt(close + 1) == ':' ? v.substring(close + 2) : null;
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            host = v.substring(0, v.indexOf(':'));
            port = v.substring(v.indexOf(':') + 1);
        } else {
            host = v;
            port = null;
        }
        try {
            if (!Ips.isValid(host)) {
                throw new NumberFormatException();
            }
            int p = port == null ? defaultPort : Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(Ips.parse(host), p);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": \"" + value + "\" is not " + (defaultPort < 0 ? "IP:PORT" : "IP[:PORT]")
                    + "; e.g. 127.0.0.1:53 or [::1]:53");
        }
    }
}
