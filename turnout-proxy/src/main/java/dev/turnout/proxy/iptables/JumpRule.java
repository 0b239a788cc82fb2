package dev.turnout.proxy.iptables;

import dev.turnout.proxy.kernel.RulePosition;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule in a built-in chain that jumps to one of ours (e.g. nat PREROUTING to KUBE-SERVICES).
 * These cannot be part of iptables-restore input without owning the whole built-in chain, so the
 * proxier ensures them one by one on full syncs (upstream's iptablesJumpChains).
 *
 * @param comment the {@code -m comment} text, or empty for none
 * @param extraArgs match arguments before the comment (e.g. {@code -m conntrack --ctstate NEW})
 */
public record JumpRule(String table, String fromChain, String toChain, String comment, List<String> extraArgs,
        RulePosition position) {
    public JumpRule {
        extraArgs = List.copyOf(extraArgs);
        comment = comment == null ? "" : comment;
    }

    /** The rule's arguments as upstream builds them: extra args, comment, then {@code -j}. */
    public List<String> args() {
        List<String> out = new ArrayList<>(extraArgs);
        if (!comment.isEmpty()) {
            out.addAll(List.of("-m", "comment", "--comment", comment));
        }
        out.addAll(List.of("-j", toChain));
        return out;
    }
}
