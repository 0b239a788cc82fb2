package dev.turnout.lab;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Naming convention for everything a lab creates: {@code tnt} plus five base36 characters, e.g.
 * {@code tntk3x9q}. The fixed {@code tnt} marks a name as ours, so leftover cleanup never touches anything
 * else; the random part lets parallel runs coexist. Prefixes stay short because interface names carry
 * them and the kernel caps those at 15 characters.
 */
public final class LabNames {

    public static final String MARK = "tnt";
    private static final Pattern PREFIX = Pattern.compile(MARK + "[0-9a-z]{5}");
    private static final Pattern LAB_NAME = Pattern.compile(MARK + "[0-9a-z]{5}([-a-z0-9].*)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int MAX_IFNAME = 15;

    private LabNames() {
    }

    public static String randomPrefix() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(MARK);
        for (int i = 0; i < 5; i++) {
            sb.append(BASE36.charAt(random.nextInt(BASE36.length())));
        }
        return sb.toString();
    }

    public static void requireValidPrefix(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("lab prefix must be " + MARK + " plus 5 of [0-9a-z], got " + prefix);
        }
    }

    /** True for a namespace or interface name made by some lab run. */
    public static boolean isLabName(String name) {
        return LAB_NAME.matcher(name).matches();
    }

    /** Pod and node names become hostnames, so they must be DNS labels as in Kubernetes. */
    public static void requireDnsLabel(String name) {
        if (!DNS_LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("not a DNS label (lower-case alphanumerics and '-', max 63): " + name);
        }
    }

    public static String namespace(String prefix, String role) {
        return prefix + "-" + role;
    }

    public static String iface(String prefix, String suffix) {
        String name = prefix + suffix;
        if (name.length() > MAX_IFNAME) {
            throw new IllegalArgumentException("interface name longer than " + MAX_IFNAME + ": " + name);
        }
        return name;
    }
}
