package dev.turnout.proxy.iptables;

import dev.turnout.proxy.ProxyState;
import java.util.Set;

/**
 * One sync's input to the compiler.
 *
 * @param state the whole desired state
 * @param full write every chain (first sync, after a failure, periodic repair) or only those of
 *     {@code changedServices}
 * @param changedServices namespace/name of the Services whose ports or endpoints changed since the
 *     last successful sync; ignored on a full sync
 * @param existingNatChains the chains the nat table has now (from iptables-save), so that stale
 *     ones of ours can be flushed and deleted; empty when not read this sync
 */
public record SyncInput(ProxyState state, boolean full, Set<String> changedServices, Set<String> existingNatChains) {
    public SyncInput {
        changedServices = Set.copyOf(changedServices);
        existingNatChains = Set.copyOf(existingNatChains);
    }

    public static SyncInput full(ProxyState state) {
        return new SyncInput(state, true, Set.of(), Set.of());
    }
}
