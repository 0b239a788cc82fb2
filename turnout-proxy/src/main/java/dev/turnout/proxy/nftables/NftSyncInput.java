package dev.turnout.proxy.nftables;

import dev.turnout.proxy.ProxyState;
import java.util.Set;

/**
 * One sync's input to {@link NftablesCompiler}.
 *
 * @param state the whole desired state
 * @param full set the table up and write every element and chain (first sync, after a failure,
 *     node labels changed); otherwise only what belongs to {@code changedServices}
 * @param changedServices namespace/name of the Services whose ports or endpoints changed since the
 *     last successful sync; ignored on a full sync
 * @param existingChains on a full sync, the chains the kernel's table has (read once), so that
 *     stale per-Service chains left by an earlier process are flushed; empty otherwise
 * @param existingSets likewise for sets (stale affinity sets are deleted)
 */
public record NftSyncInput(ProxyState state, boolean full, Set<String> changedServices, Set<String> existingChains,
        Set<String> existingSets) {
    public NftSyncInput {
        changedServices = Set.copyOf(changedServices);
        existingChains = Set.copyOf(existingChains);
        existingSets = Set.copyOf(existingSets);
    }

    public static NftSyncInput full(ProxyState state) {
        return new NftSyncInput(state, true, Set.of(), Set.of(), Set.of());
    }

    public static NftSyncInput partial(ProxyState state, Set<String> changedServices) {
        return new NftSyncInput(state, false, changedServices, Set.of(), Set.of());
    }
}
