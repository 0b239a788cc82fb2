package dev.turnout.proxy.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one function on request, no more often than {@code minInterval} (modulo bursts) and at
 * least once every {@code maxInterval}, as upstream's {@code async.BoundedFrequencyRunner}:
 * <ul>
 *   <li>{@link #run()} asks for a run as soon as possible; requests that arrive while one is queued
 *       or too soon after the last run are coalesced into one deferred run;</li>
 *   <li>runs are paced by a token bucket that holds {@code burst} runs and earns one per
 *       {@code minInterval}; a refused request is scheduled for {@code minInterval} after the last
 *       run (or the periodic run, if that comes first);</li>
 *   <li>after each run the periodic timer is reset to {@code maxInterval};</li>
 *   <li>{@link #retryAfter(Duration)} brings the next run forward to at most that interval from
 *       now (the earliest of several requests wins), but never past the minInterval pacing.</li>
 * </ul>
 * All state lives on the scheduler's thread; {@link #run()} and {@link #retryAfter} only post to it,
 * so they may be called from anywhere, including from inside the function.
 */
public final class BoundedFrequencyRunner {
    private static final Logger LOG = Logger.getLogger(BoundedFrequencyRunner.class.getName());

    private final String name;
    private final Runnable fn;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final int burst;
    private final Scheduler scheduler;

    private final AtomicBoolean runQueued = new AtomicBoolean();
    private final AtomicBoolean retryQueued = new AtomicBoolean();
    private final Object retryLock = new Object();
    private Instant retryTime; // guarded by retryLock

    // Touched only on the scheduler's thread.
    private TokenBucket limiter;
    private Instant lastRun = Instant.EPOCH;
    private Scheduler.Cancellable timer;
    private Instant timerDeadline;
    private volatile boolean stopped = true;

    public BoundedFrequencyRunner(String name, Runnable fn, Duration minInterval, Duration maxInterval, int burst,
            Scheduler scheduler) {
        this.name = Objects.requireNonNull(name);
        this.fn = Objects.requireNonNull(fn);
        this.minInterval = Objects.requireNonNull(minInterval);
        this.maxInterval = Objects.requireNonNull(maxInterval);
        this.burst = burst;
        this.scheduler = Objects.requireNonNull(scheduler);
        if (maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException(name + ": maxInterval (" + maxInterval
                    + ") must be >= minInterval (" + minInterval + ")");
        }
        if (burst < 1) {
            throw new IllegalArgumentException(name + ": burst must be at least 1, got " + burst);
        }
    }

    /** Arms the periodic timer (upstream's Loop). The scheduler must already be running. */
    public void start() {
        stopped = false;
        scheduler.execute(() -> {
            // A zero minInterval means no pacing at all, as upstream's nullLimiter.
            limiter = minInterval.isZero() ? null : new TokenBucket(minInterval, burst, scheduler.now());
            resetTimer(maxInterval);
        });
    }

    /** Stops all future runs; a run in progress completes. */
    public void stop() {
        stopped = true;
        scheduler.execute(this::cancelTimer);
    }

    /** Requests a run as soon as the pacing allows. Never blocks; coalesces with a queued request. */
    public void run() {
        if (!stopped && runQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                runQueued.set(false);
                tryRun();
            });
        }
    }

    /**
     * Ensures a run no later than {@code interval} from now (subject to minInterval). Converted to an
     * absolute time at once, so that a busy runner does not push the retry further out.
     */
    public void retryAfter(Duration interval) {
        Instant at = scheduler.now().plus(interval);
        synchronized (retryLock) {
            if (retryTime != null && retryTime.isBefore(at)) {
                return;
            }
            retryTime = at;
        }
        if (!stopped && retryQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                retryQueued.set(false);
                doRetry();
            });
        }
    }

    private void tryRun() {
        if (stopped) {
            return;
        }
        Instant now = scheduler.now();
        if (limiter == null || limiter.tryAccept(now)) {
            try {
                fn.run();
            } catch (RuntimeException e) {
                // The function owns its errors (the proxier retries through retryAfter); this only
                // keeps a bug in it from silently ending all future runs.
                LOG.log(Level.SEVERE, name + ": run failed", e);
            }
            lastRun = scheduler.now();
            resetTimer(maxInterval);
            return;
        }
        Duration nextPossible = minInterval.minus(Duration.between(lastRun, now));
        Duration nextScheduled = timerRemaining();
        // Upstream always resets the timer here, even when unchanged.
        resetTimer(nextPossible.compareTo(nextScheduled) < 0 ? nextPossible : nextScheduled);
    }

    private void onTimer() {
        // A fired timer has nothing remaining; forgetting it keeps a refused run from re-arming a
        // timer that is already past due (which would spin until the bucket refills).
        timer = null;
        timerDeadline = null;
        tryRun();
    }

    private void doRetry() {
        Instant at;
        synchronized (retryLock) {
            at = retryTime;
            retryTime = null;
        }
        if (at == null || stopped) {
            return;
        }
        Duration interval = Duration.between(scheduler.now(), at);
        if (interval.compareTo(timerRemaining()) < 0) {
            LOG.fine(() -> name + ": retrying in " + interval);
            resetTimer(interval);
        }
    }

    private Duration timerRemaining() {
        return timerDeadline == null ? maxInterval : Duration.between(scheduler.now(), timerDeadline);
    }

    private void resetTimer(Duration delay) {
        cancelTimer();
        if (stopped) {
            return;
        }
        Duration d = delay.isNegative() ? Duration.ZERO : delay;
        timerDeadline = scheduler.now().plus(d);
        timer = scheduler.schedule(d, this::onTimer);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
