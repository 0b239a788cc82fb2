package dev.turnout.proxy.nftables;

import dev.turnout.model.ServicePortName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Names of the per-Service objects in the kube-proxy table, as upstream's nftables backend builds
 * them: a readable base {@code ns/name/protocol/port} (plus {@code __ip/port} for an endpoint),
 * prefixed with the first 8 base32 digits of its sha256 and cut to 240 characters, after a prefix
 * such as {@code service-}. Per-Service chains are recognisable by the {@code /} in their names.
 */
public final class NftNames {
    public static final String CLUSTER_PREFIX = "service-";
    public static final String LOCAL_PREFIX = "local-";
    public static final String EXTERNAL_PREFIX = "external-";
    public static final String ENDPOINT_PREFIX = "endpoint-";
    public static final String AFFINITY_PREFIX = "affinity-";
    public static final String FIREWALL_PREFIX = "firewall-";

    /** knftables.NameLengthMax (256) minus the longest prefix (16). */
    static final int BASE_LENGTH_MAX = 256 - 16;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private NftNames() {
    }

    /** {@code HASH-ns/name/proto/port}, e.g. {@code ULMVA6XW-ns1/svc1/tcp/p80}. */
    public static String serviceBase(ServicePortName name) {
        return hashAndTruncate(name.namespace() + "/" + name.name() + "/" + protocol(name) + "/" + name.port());
    }

    /** {@code HASH-ns/name/proto/port__ip/port}; colons of an IPv6 address become dots. */
    public static String endpointBase(ServicePortName name, String ip, int port) {
        String host = ip.replace(':', '.');
        return hashAndTruncate(name.namespace() + "/" + name.name() + "/" + protocol(name) + "/" + name.port()
                + "__" + host + "/" + port);
    }

    static String protocol(ServicePortName name) {
        return name.protocol().name().toLowerCase(Locale.ROOT);
    }

    /** Our per-Service and per-endpoint chains are the only ones with a slash. */
    public static boolean isServiceChain(String chain) {
        return chain.indexOf('/') >= 0;
    }

    public static boolean isAffinitySet(String set) {
        return set.startsWith(AFFINITY_PREFIX);
    }

    static String hashAndTruncate(String name) {
        byte[] h = SHA256.get().digest(name.getBytes(StandardCharsets.UTF_8));
        // 8 base32 digits are the first 40 bits (5 bytes)
        long v = 0;
        for (int i = 0; i < 5; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        char[] out = new char[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = BASE32[(int) (v & 31)];
            v >>>= 5;
        }
        String s = new String(out) + "-" + name;
        if (s.length() > BASE_LENGTH_MAX) {
            s = s.substring(0, BASE_LENGTH_MAX - 3) + "...";
        }
        return s;
    }

}
