package dev.turnout.proxy.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on one daemon thread with the system clock. Nothing runs before
 * {@link #start()}; {@link #close()} drops queued and delayed tasks.
 */
public final class SingleThreadScheduler implements Scheduler, AutoCloseable {
    private final String threadName;
    private volatile ScheduledExecutorService executor;

    public SingleThreadScheduler(String threadName) {
        this.threadName = threadName;
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // Cancelled timers would otherwise pile up until their delay (up to an hour) passes.
        e.setRemoveOnCancelPolicy(true);
        executor = e;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void execute(Runnable task) {
        running().execute(task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, delay.toNanos());
        var future = running().schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    private ScheduledExecutorService running() {
        ScheduledExecutorService e = executor;
        if (e == null) {
            throw new IllegalStateException(threadName + ": scheduler not started");
        }
        return e;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
