package dev.turnout.dns.kubernetes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.xbill.DNS.Name;

/** Reverse names (RFC 1035 3.5 in-addr.arpa, RFC 3596 2.5 ip6.arpa) to addresses and back. */
public final class Reverse {
    public static final Name IN_ADDR = Name.fromConstantString("in-addr.arpa.");
    public static final Name IP6 = Name.fromConstantString("ip6.arpa.");

    private Reverse() {
    }

    public static boolean isReverse(Name name) {
        return name.subdomain(IN_ADDR) || name.subdomain(IP6);
    }

    /** The address a complete reverse name stands for, or null (a partial or malformed name). */
    public static InetAddress ipOf(Name name) {
        try {
            if (name.subdomain(IN_ADDR)) {
                int n = name.labels() - IN_ADDR.labels();
                if (n != 4) {
                    return null;
                }
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    String l = name.getLabelString(i);
                    if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit)) {
                        return null;
                    }
                    int v = Integer.parseInt(l);
                    if (v > 255) {
                        return null;
                    }
                    b[3 - i] = (byte) v;
                }
                return InetAddress.getByAddress(b);
            }
            if (name.subdomain(IP6)) {
                int n = name.labels() - IP6.labels();
                if (n != 32) {
                    return null;
                }
                byte[] b = new byte[16];
                for (int i = 0; i < 32; i++) {
                    String l = name.getLabelString(i).toLowerCase(Locale.ROOT);
                    int v = l.length() == 1 ? Character.digit(l.charAt(0), 16) : -1;
                    if (v < 0) {
                        return null;
                    }
                    int nibble = 31 - i;
                    b[nibble / 2] |= (byte) (nibble % 2 == 0 ? v << 4 : v);
                }
                return InetAddress.getByAddress(b);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
