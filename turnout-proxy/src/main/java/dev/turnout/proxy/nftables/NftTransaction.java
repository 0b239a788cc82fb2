package dev.turnout.proxy.nftables;

import java.util.Set;

/**
 * What one sync feeds to {@code nft -f -}.
 *
 * @param text the transaction: every line one command on table {@code ip kube-proxy}
 * @param full whether it sets the whole table up
 * @param flushedStaleChains per-Service chains this transaction empties because nothing uses them
 *     any more; they are deleted by a later sync (upstream waits a second: before kernel 6.2 a
 *     chain is still busy for a moment after the last map element pointing at it is deleted)
 * @param ruleCount the {@code add rule} lines written
 * @param elementChanges the element additions and deletions written
 */
public record NftTransaction(String text, boolean full, Set<String> flushedStaleChains, int ruleCount,
        int elementChanges) {
    public NftTransaction {
        flushedStaleChains = Set.copyOf(flushedStaleChains);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
