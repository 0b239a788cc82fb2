package dev.turnout.proxy.iptables;

import java.time.Duration;

/**
 * The timing of the sync loop, named after kube-proxy's options.
 *
 * @param syncPeriod {@code --iptables-sync-period} (default 30s): the longest time between syncs,
 *     and the retry delay after a failed one
 * @param minSyncPeriod {@code --iptables-min-sync-period} (default 1s): the shortest time between
 *     syncs, modulo bursts
 * @param fullSyncPeriod how often a sync rewrites every chain even without a failure (upstream's
 *     FullSyncPeriod, 1h)
 * @param burstSyncs syncs allowed back to back (upstream: 2)
 */
public record SyncOptions(Duration syncPeriod, Duration minSyncPeriod, Duration fullSyncPeriod, int burstSyncs) {
    public static final SyncOptions DEFAULTS = new SyncOptions(Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofHours(1), 2);

    public SyncOptions {
        if (syncPeriod.compareTo(minSyncPeriod) < 0) {
            throw new IllegalArgumentException("syncPeriod " + syncPeriod + " is shorter than minSyncPeriod "
                    + minSyncPeriod);
        }
    }

    /** kube-proxy's healthz timeout: two sync periods. */
    public Duration healthTimeout() {
        return syncPeriod.multipliedBy(2);
    }
}
