package dev.turnout.proxy.iptables;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The names of the per-Service and per-endpoint chains, hashed exactly as upstream's
 * {@code portProtoHash} and {@code servicePortEndpointChainName}: the first 16 characters of the
 * standard base32 encoding of sha256 over {@code "ns/name:port" + protocol} (lower case), plus the
 * endpoint's {@code ip:port} for endpoint chains. Chain names must stay within iptables' 28
 * characters, hence the truncated hash.
 */
public final class ChainNames {
    public static final String SERVICE_CLUSTER_PREFIX = "KUBE-SVC-";
    public static final String SERVICE_LOCAL_PREFIX = "KUBE-SVL-";
    public static final String FIREWALL_PREFIX = "KUBE-FW-";
    public static final String EXTERNAL_PREFIX = "KUBE-EXT-";
    public static final String ENDPOINT_PREFIX = "KUBE-SEP-";

    private static final byte[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ChainNames::sha256);
    private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A digest with scratch space, so that hashing a few short strings allocates nothing. */
    private static final class Hasher {
        final MessageDigest md = sha256();
        final byte[] in = new byte[256];
        final byte[] out = new byte[32];

        /** Feeds the UTF-8 bytes of {@code s}. */
        void update(String s) {
            int n = s.length();
            if (n <= in.length) {
                int i = 0;
                while (i < n) {
                    char c = s.charAt(i);
                    if (c >= 0x80) {
                        break;
                    }
                    in[i++] = (byte) c;
                }
                if (i == n) {
                    md.update(in, 0, n);
                    return;
                }
            }
            md.update(s.getBytes(StandardCharsets.UTF_8));
        }

        /** {@code prefix} followed by base32 of the first 10 bytes of the digest. */
        String finish(String prefix) {
            try {
                md.digest(out, 0, out.length);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            int p = prefix.length();
            byte[] name = new byte[p + 16];
            for (int i = 0; i < p; i++) {
                name[i] = (byte) prefix.charAt(i);
            }
            base32(out, name, p);
            return new String(name, StandardCharsets.ISO_8859_1);
        }
    }

    private ChainNames() {
    }

    /** The 16-character hash shared by a Service port's SVC, SVL, FW and EXT chains. */
    public static String portProtoHash(String servicePortName, String protocol) {
        return hash16(servicePortName + protocol);
    }

    public static String clusterChain(String servicePortName, String protocol) {
        return SERVICE_CLUSTER_PREFIX + portProtoHash(servicePortName, protocol);
    }

    public static String localChain(String servicePortName, String protocol) {
        return SERVICE_LOCAL_PREFIX + portProtoHash(servicePortName, protocol);
    }

    public static String firewallChain(String servicePortName, String protocol) {
        return FIREWALL_PREFIX + portProtoHash(servicePortName, protocol);
    }

    public static String externalChain(String servicePortName, String protocol) {
        return EXTERNAL_PREFIX + portProtoHash(servicePortName, protocol);
    }

    /** The KUBE-SEP- chain of one endpoint ({@code ip:port}, IPv6 in brackets) of a Service port. */
    public static String endpointChain(String servicePortName, String protocol, String endpoint) {
        Hasher h = HASHER.get();
        h.update(servicePortName);
        h.update(protocol);
        h.update(endpoint);
        return h.finish(ENDPOINT_PREFIX);
    }

    /** Whether a chain is one of the per-Service or per-endpoint chains that stale-chain cleanup owns. */
    public static boolean isServiceChain(String chain) {
        return chain.startsWith(SERVICE_CLUSTER_PREFIX) || chain.startsWith(SERVICE_LOCAL_PREFIX)
                || chain.startsWith(ENDPOINT_PREFIX) || chain.startsWith(FIREWALL_PREFIX)
                || chain.startsWith(EXTERNAL_PREFIX);
    }

    /** base32(sha256(s))[:16]: 16 base32 digits are exactly the first 10 bytes (80 bits). */
    static String hash16(String s) {
        MessageDigest md = SHA256.get();
        byte[] h = md.digest(s.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[16];
        base32(h, out, 0);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Writes 16 base32 digits of {@code h[0..10)} to {@code out} from {@code o}. */
    private static void base32(byte[] h, byte[] out, int o) {
        for (int i = 0; i < 10; i += 5) {
            long v = 0;
            for (int k = 0; k < 5; k++) {
                v = (v << 8) | (h[i + k] & 0xff);
            }
            for (int k = 7; k >= 0; k--) {
                out[o + 7 - k] = BASE32[(int) ((v >>> (k * 5)) & 31)];
            }
            o += 8;
        }
    }
}
