package dev.turnout.proxy.tracker;

/**
 * Hears what a change tracker counts, for kube-proxy's
 * {@code sync_proxy_rules_{service,endpoint}_changes_{total,pending}} metrics.
 */
public interface ChangeListener {
    ChangeListener NONE = new ChangeListener() { };

    /** One add/update/delete event was offered to the tracker. */
    default void changeSeen() {
    }

    /** The number of objects with changes not yet applied. */
    default void pending(int count) {
    }
}
