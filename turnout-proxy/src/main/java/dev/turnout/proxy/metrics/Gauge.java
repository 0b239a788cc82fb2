package dev.turnout.proxy.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A value that goes up and down, optionally per label values (a GaugeVec). */
public final class Gauge implements Collector {
    static final Comparator<List<String>> LABEL_ORDER = (a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b));

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final Map<List<String>, Double> values = new TreeMap<>(LABEL_ORDER);

    public Gauge(String name, String help, String... labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames.clone();
        if (labelNames.length == 0) {
            values.put(List.of(), 0.0);
        }
    }

    @Override
    public String name() {
        return name;
    }

    public synchronized void set(double value, String... labelValues) {
        values.put(key(labelValues), value);
    }

    public synchronized double get(String... labelValues) {
        return values.getOrDefault(key(labelValues), 0.0);
    }

    private List<String> key(String[] labelValues) {
        if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(name + ": want labels " + Arrays.toString(labelNames));
        }
        return List.of(labelValues);
    }

    @Override
    public synchronized void writeTo(StringBuilder out) {
        Collector.header(out, name, help, "gauge");
        values.forEach((k, v) -> out.append(name).append(Collector.labels(labelNames, k)).append(' ')
                .append(Collector.number(v)).append('\n'));
    }
}
