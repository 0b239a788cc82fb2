package dev.turnout.proxy.iptables;

import java.nio.charset.StandardCharsets;
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

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

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
        return ENDPOINT_PREFIX + hash16(servicePortName + protocol + endpoint);
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
        char[] out = new char[16];
        int o = 0;
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
        return new String(out);
    }
}
