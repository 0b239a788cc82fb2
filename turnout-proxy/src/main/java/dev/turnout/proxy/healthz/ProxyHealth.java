package dev.turnout.proxy.healthz;

import dev.turnout.model.IpFamily;
import dev.turnout.proxy.runner.Clock;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The proxier's health as upstream's {@code ProxyHealthServer} decides it: a proxier is healthy
 * while it has no queued update, or its oldest queued update is younger than {@code healthTimeout}
 * (kube-proxy passes 2 x syncPeriod). Tracked per IP family; one late family makes the whole proxy
 * unhealthy. The node is "eligible" unless it is being deleted or tainted for deletion by the
 * cluster autoscaler; /healthz (not /livez) also requires that.
 */
public final class ProxyHealth {
    static final String TO_BE_DELETED_TAINT = "ToBeDeletedByClusterAutoscaler";

    private final Clock clock;
    private final Duration healthTimeout;
    private final Map<IpFamily, Instant> lastUpdated = new EnumMap<>(IpFamily.class);
    private final Map<IpFamily, Instant> oldestPendingQueued = new EnumMap<>(IpFamily.class);
    private boolean nodeEligible = true;

    /** One reading of the state. {@code lastUpdated} is null when no proxier ever synced. */
    public record Health(boolean healthy, Instant lastUpdated, Instant currentTime, boolean nodeEligible) {
    }

    public ProxyHealth(Clock clock, Duration healthTimeout) {
        this.clock = clock;
        this.healthTimeout = healthTimeout;
    }

    /** The proxier of {@code family} has programmed the current state. */
    public synchronized void updated(IpFamily family) {
        oldestPendingQueued.remove(family);
        lastUpdated.put(family, clock.now());
    }

    /** The proxier of {@code family} has received a change it has not programmed yet. */
    public synchronized void queuedUpdate(IpFamily family) {
        oldestPendingQueued.putIfAbsent(family, clock.now());
    }

    /** Reads eligibility from this proxy's Node; null (deleted) makes it ineligible. */
    public synchronized void syncNode(Node node) {
        if (node == null || node.getMetadata().getDeletionTimestamp() != null) {
            nodeEligible = false;
            return;
        }
        boolean tainted = node.getSpec() != null && node.getSpec().getTaints() != null
                && node.getSpec().getTaints().stream().anyMatch(t -> TO_BE_DELETED_TAINT.equals(t.getKey()));
        nodeEligible = !tainted;
    }

    /** The proxier's own health, ignoring the node (upstream IsHealthy, and /livez). */
    public synchronized Health health() {
        Instant now = clock.now();
        Instant latest = null;
        for (var e : lastUpdated.entrySet()) {
            Instant updated = e.getValue();
            if (latest == null || updated.isAfter(latest)) {
                latest = updated;
            }
            Instant queued = oldestPendingQueued.get(e.getKey());
            if (queued == null || Duration.between(queued, now).compareTo(healthTimeout) < 0) {
                continue;
            }
            return new Health(false, updated, now, nodeEligible);
        }
        return new Health(true, latest, now, nodeEligible);
    }
}
