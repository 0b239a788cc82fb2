package dev.turnout.proxy.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} for tests: time stands still until {@link #advance} moves it, and tasks run on
 * the test's thread inside {@link #drain()} and {@link #advance}. It records the delay of every
 * {@code schedule} call so tests can check how a timer was reset.
 */
public final class FakeScheduler implements Scheduler {
    private Instant now;
    private long seq;
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timed> timed = new PriorityQueue<>(
            Comparator.comparing((Timed t) -> t.at).thenComparingLong(t -> t.seq));
    private final List<Duration> scheduledDelays = new ArrayList<>();

    public FakeScheduler(Instant start) {
        this.now = start;
    }

    public FakeScheduler() {
        this(Instant.parse("2000-01-01T00:00:00Z"));
    }

    private static final class Timed {
        final Instant at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timed(Instant at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        scheduledDelays.add(delay);
        Timed t = new Timed(now.plus(delay), seq++, task);
        timed.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs everything runnable at the current time, including what those tasks enqueue. */
    public void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = ready.poll();
                if (next == null) {
                    Timed t = timed.peek();
                    while (t != null && t.cancelled) {
                        timed.poll();
                        t = timed.peek();
                    }
                    if (t != null && !t.at.isAfter(now)) {
                        timed.poll();
                        next = t.task;
                    }
                }
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    /** Moves time forward by {@code d}, firing each due timer at its own deadline. */
    public void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        while (true) {
            drain();
            synchronized (this) {
                Timed t = timed.peek();
                while (t != null && t.cancelled) {
                    timed.poll();
                    t = timed.peek();
                }
                if (t == null || t.at.isAfter(target)) {
                    now = target;
                    break;
                }
                now = t.at.isAfter(now) ? t.at : now;
            }
        }
        drain();
    }

    /** The delays of schedule calls since the last call of this method. */
    public synchronized List<Duration> takeScheduledDelays() {
        List<Duration> out = List.copyOf(scheduledDelays);
        scheduledDelays.clear();
        return out;
    }
}
