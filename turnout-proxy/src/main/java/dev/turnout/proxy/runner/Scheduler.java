package dev.turnout.proxy.runner;

import java.time.Duration;

/**
 * Runs tasks one at a time, now or after a delay, and tells the time. Tasks given to one scheduler
 * never overlap, so state touched only from its tasks needs no locking. Production uses
 * {@link SingleThreadScheduler}; tests drive a fake whose time moves only when told.
 */
public interface Scheduler extends Clock {
    /** Runs {@code task} as soon as possible, after tasks already queued. */
    void execute(Runnable task);

    /** Runs {@code task} after {@code delay} unless cancelled first. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that may still be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
