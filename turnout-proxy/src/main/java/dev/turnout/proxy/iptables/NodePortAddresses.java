package dev.turnout.proxy.iptables;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Upstream's {@code NodePortAddresses} for {@code --nodeport-addresses}: only CIDRs of this family
 * count; none (or a zero CIDR among them) means "all local addresses". Whether the CIDRs cover
 * IPv4 loopback decides if localhost NodePorts can work at all.
 */
public final class NodePortAddresses {
    private final IpFamily family;
    private final List<Cidr> cidrs = new ArrayList<>();
    private final boolean matchAll;
    private final boolean containsIPv4Loopback;

    public NodePortAddresses(IpFamily family, List<Cidr> configured) {
        this.family = family;
        List<Cidr> ofFamily = new ArrayList<>();
        for (Cidr c : configured) {
            if (c.family() == family) {
                ofFamily.add(c);
            }
        }
        if (ofFamily.isEmpty()) {
            ofFamily.add(Cidr.parse(family == IpFamily.IPv4 ? "0.0.0.0/0" : "::/0"));
        }
        boolean all = false;
        boolean loop = false;
        for (Cidr c : ofFamily) {
            if (c.family() == IpFamily.IPv4 && (isLoopback(c.network()) || c.contains("127.0.0.0"))) {
                loop = true;
            }
            if (c.prefixLength() == 0) {
                // a zero CIDR matches everything: upstream ignores the CIDRs after it
                cidrs.clear();
                cidrs.add(c);
                all = true;
                break;
            }
            cidrs.add(c);
        }
        this.matchAll = all;
        this.containsIPv4Loopback = loop;
    }

    public boolean matchAll() {
        return matchAll;
    }

    boolean containsIPv4Loopback() {
        return containsIPv4Loopback;
    }

    /**
     * The local addresses inside the CIDRs, deduplicated. Upstream collects them in a Go map, so
     * its order is random; ours is sorted (by text) to keep output stable.
     */
    public List<String> nodeIps(Collection<String> localAddresses) {
        TreeSet<String> out = new TreeSet<>();
        for (Cidr c : cidrs) {
            for (String ip : localAddresses) {
                if (family.owns(ip) && c.contains(ip)) {
                    out.add(dev.turnout.model.Ips.canonical(ip));
                }
            }
        }
        return new ArrayList<>(out);
    }

    public static boolean isLoopback(String ip) {
        return ip.startsWith("127.") || "::1".equals(ip);
    }
}
