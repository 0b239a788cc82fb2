package dev.turnout.proxy.iptables;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import java.util.List;

/**
 * Upstream's {@code DetectLocalByCIDR}: traffic from the cluster CIDR of this family counts as
 * pod traffic. kube-proxy takes one CIDR per family from {@code --cluster-cidr}; with none the
 * detector is "not implemented" and the rules that depend on it are not written at all.
 */
final class LocalTrafficDetector {
    private final String cidr;

    private LocalTrafficDetector(String cidr) {
        this.cidr = cidr;
    }

    static LocalTrafficDetector forFamily(List<Cidr> clusterCidrs, IpFamily family) {
        for (Cidr c : clusterCidrs) {
            if (c.family() == family) {
                return new LocalTrafficDetector(c.toString());
            }
        }
        return new LocalTrafficDetector(null);
    }

    boolean implemented() {
        return cidr != null;
    }

    /** Appends {@code -s CIDR}. */
    void ifLocal(RuleBuffer b) {
        b.a("-s").a(cidr);
    }

    /** Appends {@code ! -s CIDR}. */
    void ifNotLocal(RuleBuffer b) {
        b.a("!").a("-s").a(cidr);
    }
}
