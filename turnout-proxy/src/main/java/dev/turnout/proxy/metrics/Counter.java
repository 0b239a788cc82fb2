package dev.turnout.proxy.metrics;

/** A monotonically increasing count, optionally per label values (a CounterVec). */
public final class Counter extends LabelledValues {
    public Counter(String name, String help, String... labelNames) {
        super(name, help, "counter", labelNames);
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public void add(double delta, String... labelValues) {
        if (delta < 0) {
            throw new IllegalArgumentException(name() + ": counters only go up");
        }
        addTo(delta, labelValues);
    }
}
