package dev.turnout.proxy.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule in a built-in chain (INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING) that jumps into one
 * of our chains. Upstream does not write these with iptables-restore (it must not own whole
 * built-in chains); on every full sync it creates the target chain if missing and then checks
 * ({@code -C}) and prepends ({@code -I}) each rule, in {@link #ALL} order. The proxier does the same.
 *
 * @param table filter or nat
 * @param target our chain (upstream's dstChain)
 * @param source the built-in chain (upstream's srcChain)
 * @param comment the comment, or empty for none
 * @param extraArgs matches that precede the comment
 */
public record JumpRule(String table, String target, String source, String comment, List<String> extraArgs) {
    private static final List<String> CT_NEW = List.of("-m", "conntrack", "--ctstate", "NEW");

    public JumpRule {
        extraArgs = List.copyOf(extraArgs);
        comment = comment == null ? "" : comment;
    }

    /** Upstream's iptablesJumpChains: kube-proxy's own, removed again by cleanup. */
    public static final List<JumpRule> KUBE_PROXY = List.of(
            new JumpRule("filter", "KUBE-EXTERNAL-SERVICES", "INPUT", "kubernetes externally-visible service portals", CT_NEW),
            new JumpRule("filter", "KUBE-EXTERNAL-SERVICES", "FORWARD", "kubernetes externally-visible service portals", CT_NEW),
            new JumpRule("filter", "KUBE-NODEPORTS", "INPUT", "kubernetes health check service ports", List.of()),
            new JumpRule("filter", "KUBE-SERVICES", "FORWARD", "kubernetes service portals", CT_NEW),
            new JumpRule("filter", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", CT_NEW),
            new JumpRule("filter", "KUBE-FORWARD", "FORWARD", "kubernetes forwarding rules", List.of()),
            new JumpRule("filter", "KUBE-PROXY-FIREWALL", "INPUT", "kubernetes load balancer firewall", CT_NEW),
            new JumpRule("filter", "KUBE-PROXY-FIREWALL", "OUTPUT", "kubernetes load balancer firewall", CT_NEW),
            new JumpRule("filter", "KUBE-PROXY-FIREWALL", "FORWARD", "kubernetes load balancer firewall", CT_NEW),
            new JumpRule("nat", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", List.of()),
            new JumpRule("nat", "KUBE-SERVICES", "PREROUTING", "kubernetes service portals", List.of()),
            new JumpRule("nat", "KUBE-POSTROUTING", "POSTROUTING", "kubernetes postrouting rules", List.of()));

    /**
     * Upstream's iptablesKubeletJumpChains: duplicates of kubelet's KUBE-FIREWALL jumps, which
     * upstream's cleanup leaves to kubelet. Turnout runs without kubelet, so its cleanup removes them.
     */
    public static final List<JumpRule> KUBELET = List.of(
            new JumpRule("filter", "KUBE-FIREWALL", "INPUT", "", List.of()),
            new JumpRule("filter", "KUBE-FIREWALL", "OUTPUT", "", List.of()));

    /** Everything a full sync ensures, in upstream's order. */
    public static final List<JumpRule> ALL = concat(KUBE_PROXY, KUBELET);

    /** The chain upstream keeps in the mangle table only to notice when iptables was flushed. */
    public static final String CANARY_CHAIN = "KUBE-PROXY-CANARY";

    private static List<JumpRule> concat(List<JumpRule> a, List<JumpRule> b) {
        List<JumpRule> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** The rule's arguments after the chain, one argv element each (comments unquoted). */
    public List<String> ruleArgs() {
        List<String> args = new ArrayList<>(extraArgs);
        if (!comment.isEmpty()) {
            args.addAll(List.of("-m", "comment", "--comment", comment));
        }
        args.addAll(List.of("-j", target));
        return args;
    }

    /** {@code iptables} argv to check for the rule: {@code -t TABLE -C SOURCE ...}. */
    public List<String> checkArgs() {
        return withVerb("-C");
    }

    /** {@code iptables} argv to prepend the rule: {@code -t TABLE -I SOURCE ...}. */
    public List<String> insertArgs() {
        return withVerb("-I");
    }

    private List<String> withVerb(String verb) {
        List<String> out = new ArrayList<>(List.of("-t", table, verb, source));
        out.addAll(ruleArgs());
        return out;
    }
}
