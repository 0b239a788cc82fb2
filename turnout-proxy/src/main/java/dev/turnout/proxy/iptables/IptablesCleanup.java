package dev.turnout.proxy.iptables;

import dev.turnout.proxy.kernel.Iptables;
import dev.turnout.proxy.kernel.KernelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --cleanup}: removes everything the iptables proxier created, as upstream's
 * CleanupLeftovers: first the jump rules out of the built-in chains, then, per table, one
 * iptables-restore that flushes every chain of ours (a {@code :CHAIN} line) and then deletes it
 * ({@code -X}), so chains that jump to each other go in one step. Goes on past errors and returns
 * them all.
 *
 * <p>Beyond upstream, it also removes KUBE-MARK-MASQ, KUBE-PROXY-FIREWALL, KUBE-PROXY-CANARY and,
 * when asked, the kubelet duplicates (KUBE-FIREWALL and its jumps): without kubelet nothing else
 * owns them, and a cleaned node should have no KUBE-* chain left.
 */
public final class IptablesCleanup {
    private static final Logger LOG = Logger.getLogger(IptablesCleanup.class.getName());

    /** Chains of ours that are not per-Service, by table. */
    static final Map<String, List<String>> FIXED_CHAINS = Map.of(
            "nat", List.of("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ", "KUBE-PROXY-CANARY"),
            "filter", List.of("KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS",
                    "KUBE-PROXY-FIREWALL", "KUBE-PROXY-CANARY"),
            "mangle", List.of("KUBE-PROXY-CANARY"));

    /** Prefixes of the per-Service and per-endpoint nat chains (upstream isServiceChainName). */
    static final List<String> SERVICE_CHAIN_PREFIXES = List.of("KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-FW-",
            "KUBE-SEP-");

    private final Iptables iptables;
    private final boolean includeKubeletChains;

    public IptablesCleanup(Iptables iptables, boolean includeKubeletChains) {
        this.iptables = iptables;
        this.includeKubeletChains = includeKubeletChains;
    }

    public List<KernelException> run() {
        List<KernelException> errors = new ArrayList<>();
        List<JumpRule> jumps = new ArrayList<>(JumpRule.KUBE_PROXY);
        if (includeKubeletChains) {
            jumps.addAll(JumpRule.KUBELET);
        }
        for (JumpRule j : jumps) {
            try {
                iptables.deleteRule(j.table(), j.source(), j.ruleArgs());
            } catch (KernelException e) {
                LOG.log(Level.WARNING, "Error removing pure-iptables proxy rule", e);
                errors.add(e);
            }
        }
        for (String table : List.of("nat", "filter", "mangle")) {
            try {
                removeChains(table);
            } catch (KernelException e) {
                LOG.log(Level.WARNING, "Error removing chains of table " + table, e);
                errors.add(e);
            }
        }
        return errors;
    }

    private void removeChains(String table) throws KernelException {
        Set<String> existing = Iptables.chainsOf(iptables.save(table));
        List<String> ours = new ArrayList<>();
        for (String chain : existing) {
            if (owned(table, chain)) {
                ours.add(chain);
            }
        }
        if (ours.isEmpty()) {
            return;
        }
        StringBuilder in = new StringBuilder("*").append(table).append('\n');
        ours.forEach(c -> in.append(':').append(c).append(" - [0:0]\n"));
        ours.forEach(c -> in.append("-X ").append(c).append('\n'));
        in.append("COMMIT\n");
        iptables.restore(in.toString(), true, true);
    }

    boolean owned(String table, String chain) {
        if (FIXED_CHAINS.getOrDefault(table, List.of()).contains(chain)) {
            return true;
        }
        if (includeKubeletChains && table.equals("filter") && chain.equals("KUBE-FIREWALL")) {
            return true;
        }
        return table.equals("nat") && SERVICE_CHAIN_PREFIXES.stream().anyMatch(chain::startsWith);
    }
}
