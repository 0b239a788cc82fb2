package dev.turnout.proxy.iptables;

import dev.turnout.proxy.kernel.RulePosition;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's jump rules from pkg/proxy/iptables/proxier.go, hard-coded until the rule compiler
 * publishes them as data. All are prepended, as upstream's EnsureRule(Prepend, ...).
 */
public final class JumpRules {
    private JumpRules() {
    }

    private static final List<String> CT_NEW = List.of("-m", "conntrack", "--ctstate", "NEW");

    private static JumpRule jump(String table, String to, String from, String comment, List<String> extra) {
        return new JumpRule(table, from, to, comment, extra, RulePosition.PREPEND);
    }

    /** iptablesJumpChains: removed again by cleanup. */
    public static final List<JumpRule> KUBE_PROXY = List.of(
            jump("filter", "KUBE-EXTERNAL-SERVICES", "INPUT", "kubernetes externally-visible service portals", CT_NEW),
            jump("filter", "KUBE-EXTERNAL-SERVICES", "FORWARD", "kubernetes externally-visible service portals", CT_NEW),
            jump("filter", "KUBE-NODEPORTS", "INPUT", "kubernetes health check service ports", List.of()),
            jump("filter", "KUBE-SERVICES", "FORWARD", "kubernetes service portals", CT_NEW),
            jump("filter", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", CT_NEW),
            jump("filter", "KUBE-FORWARD", "FORWARD", "kubernetes forwarding rules", List.of()),
            jump("filter", "KUBE-PROXY-FIREWALL", "INPUT", "kubernetes load balancer firewall", CT_NEW),
            jump("filter", "KUBE-PROXY-FIREWALL", "OUTPUT", "kubernetes load balancer firewall", CT_NEW),
            jump("filter", "KUBE-PROXY-FIREWALL", "FORWARD", "kubernetes load balancer firewall", CT_NEW),
            jump("nat", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", List.of()),
            jump("nat", "KUBE-SERVICES", "PREROUTING", "kubernetes service portals", List.of()),
            jump("nat", "KUBE-POSTROUTING", "POSTROUTING", "kubernetes postrouting rules", List.of()));

    /**
     * iptablesKubeletJumpChains: duplicates of kubelet's KUBE-FIREWALL jumps. Upstream creates them
     * but leaves them at cleanup because kubelet owns them; Turnout runs without kubelet, so its
     * cleanup removes them too (see {@link IptablesCleanup}).
     */
    public static final List<JumpRule> KUBELET = List.of(
            jump("filter", "KUBE-FIREWALL", "INPUT", "", List.of()),
            jump("filter", "KUBE-FIREWALL", "OUTPUT", "", List.of()));

    /** Everything a full sync ensures, in upstream's order. */
    public static List<JumpRule> all() {
        List<JumpRule> out = new ArrayList<>(KUBE_PROXY);
        out.addAll(KUBELET);
        return out;
    }
}
