package dev.turnout.model;

import java.math.BigInteger;
import java.net.InetAddress;

/** An IP prefix such as {@code 10.0.0.0/8}; parsed without DNS, masked to its network address. */
public record Cidr(String network, int prefixLength, IpFamily family) {

    /** Parses {@code addr/len}; throws IllegalArgumentException naming the value when malformed. */
    public static Cidr parse(String text) {
        Cidr c = tryParse(text);
        if (c == null) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": want address/prefix-length, e.g. 10.0.0.0/8");
        }
        return c;
    }

    /** Parses {@code addr/len}, or returns null when malformed. */
    public static Cidr tryParse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        InetAddress a = Ips.parse(text.substring(0, slash).trim());
        if (a == null) {
            return null;
        }
        int bits = a.getAddress().length * 8;
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (len < 0 || len > bits) {
            return null;
        }
        byte[] masked = mask(a.getAddress(), len);
        String net = Ips.canonical(toText(masked));
        return new Cidr(net, len, bits == 32 ? IpFamily.IPv4 : IpFamily.IPv6);
    }

    public boolean contains(String ip) {
        InetAddress a = Ips.parse(ip);
        if (a == null || a.getAddress().length * 8 != (family == IpFamily.IPv4 ? 32 : 128)) {
            return false;
        }
        byte[] m = mask(a.getAddress(), prefixLength);
        return Ips.canonical(toText(m)).equals(network);
    }

    /** The address at {@code offset} inside this prefix (0 is the network address). */
    public String addressAt(long offset) {
        InetAddress a = Ips.parse(network);
        BigInteger v = new BigInteger(1, a.getAddress()).add(BigInteger.valueOf(offset));
        byte[] raw = v.toByteArray();
        byte[] out = new byte[a.getAddress().length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return Ips.canonical(toText(out));
    }

    private static byte[] mask(byte[] addr, int len) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, len - i * 8));
            int m = bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
            out[i] = (byte) (out[i] & m);
        }
        return out;
    }

    private static String toText(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
