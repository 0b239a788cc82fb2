package dev.turnout.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address helpers that never touch a resolver: only numeric literals are accepted. Parsing is
 * "sloppy" as Kubernetes' {@code netutils.ParseIPSloppy}: IPv4 octets with leading zeros are read
 * as decimal.
 */
public final class Ips {
    private Ips() {
    }

    /** The canonical text of an IP literal, or null when {@code text} is not one. */
    public static String canonical(String text) {
        InetAddress a = parse(text);
        if (a == null) {
            return null;
        }
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        return canonicalV6(a.getAddress());
    }

    public static boolean isValid(String text) {
        return parse(text) != null;
    }

    /** The family of an IP literal, or null when it is not one. */
    public static IpFamily familyOf(String text) {
        InetAddress a = parse(text);
        if (a == null) {
            return null;
        }
        return a instanceof Inet4Address ? IpFamily.IPv4 : IpFamily.IPv6;
    }

    /** Parses an IPv4 or IPv6 literal without DNS; null when it is not a literal. */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            if (text.indexOf(':') >= 0) {
                if (text.indexOf('%') >= 0 || text.startsWith("[")) {
                    return null;
                }
                InetAddress a = InetAddress.getByName(text);
                if (a instanceof Inet4Address) {
                    // an IPv4-mapped IPv6 literal: Go keeps its family as IPv4 too
                    return a;
                }
                return a instanceof Inet6Address ? a : null;
            }
            byte[] b = parseV4(text);
            return b == null ? null : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** RFC 5952 text: lower case, longest run of zero groups compressed (first on a tie). */
    private static String canonicalV6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** {@code ip:port}, bracketing IPv6 as Go's {@code net.JoinHostPort}. */
    public static String hostPort(String ip, int port) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    /** {@code ip/32} or {@code ip/128}: the host route of an address. */
    public static String hostCidr(String ip) {
        return ip + (familyOf(ip) == IpFamily.IPv6 ? "/128" : "/32");
    }
}
