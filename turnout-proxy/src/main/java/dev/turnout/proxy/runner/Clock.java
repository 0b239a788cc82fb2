package dev.turnout.proxy.runner;

import java.time.Instant;

/** The time seam: everything in the proxy that asks "what time is it" asks one of these. */
@FunctionalInterface
public interface Clock {
    Instant now();

    static Clock system() {
        return Instant::now;
    }
}
