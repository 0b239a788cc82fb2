package dev.turnout.proxy.metrics;

/** A value that goes up and down, optionally per label values (a GaugeVec). */
public final class Gauge extends LabelledValues {
    public Gauge(String name, String help, String... labelNames) {
        super(name, help, "gauge", labelNames);
    }

    public void set(double value, String... labelValues) {
        put(value, labelValues);
    }
}
