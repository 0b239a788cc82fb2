package dev.turnout.proxy.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A monotonically increasing count, optionally per label values (a CounterVec). */
public final class Counter implements Collector {
    private final String name;
    private final String help;
    private final String[] labelNames;
    private final Map<List<String>, Double> values = new TreeMap<>(Gauge.LABEL_ORDER);

    public Counter(String name, String help, String... labelNames) {
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

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public synchronized void add(double delta, String... labelValues) {
        if (delta < 0) {
            throw new IllegalArgumentException(name + ": counters only go up");
        }
        values.merge(key(labelValues), delta, Double::sum);
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
        Collector.header(out, name, help, "counter");
        values.forEach((k, v) -> out.append(name).append(Collector.labels(labelNames, k)).append(' ')
                .append(Collector.number(v)).append('\n'));
    }
}
