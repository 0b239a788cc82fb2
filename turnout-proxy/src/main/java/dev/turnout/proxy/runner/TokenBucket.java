package dev.turnout.proxy.runner;

import java.time.Duration;
import java.time.Instant;

/**
 * The rate limiter behind the runner's bursts, as client-go's token bucket (golang.org/x/time/rate)
 * that upstream's BoundedFrequencyRunner uses: it starts full with {@code burst} tokens, earns one
 * token per {@code interval}, and a run spends one. Kept in nanoseconds of credit, so that a token
 * earned after exactly one interval is a whole token and not 0.9999999.
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long capacityNanos;
    private long creditNanos;
    private Instant last;

    TokenBucket(Duration interval, int burst, Instant start) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        this.intervalNanos = interval.toNanos();
        this.capacityNanos = Math.multiplyExact(intervalNanos, burst);
        this.creditNanos = capacityNanos;
        this.last = start;
    }

    /** Spends a token if one is available at {@code now}. */
    boolean tryAccept(Instant now) {
        long earned = Math.max(0, Duration.between(last, now).toNanos());
        long credit = Math.min(capacityNanos, creditNanos + earned);
        if (credit < intervalNanos) {
            // As x/time/rate: a refused request leaves the bucket as it was.
            return false;
        }
        creditNanos = credit - intervalNanos;
        last = now;
        return true;
    }
}
