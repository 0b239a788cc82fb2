package dev.turnout.proxy.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One number per combination of label values, written in label order: what a counter and a gauge
 * share. A family without labels has its single sample from the start, at 0, as client_golang's.
 */
abstract class LabelledValues implements Collector {
    private static final Comparator<List<String>> LABEL_ORDER =
            (a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b));

    private final String name;
    private final String help;
    private final String type;
    private final String[] labelNames;
    private final Map<List<String>, Double> values = new TreeMap<>(LABEL_ORDER);

    LabelledValues(String name, String help, String type, String... labelNames) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = labelNames.clone();
        if (labelNames.length == 0) {
            values.put(List.of(), 0.0);
        }
    }

    @Override
    public String name() {
        return name;
    }

    public synchronized double get(String... labelValues) {
        return values.getOrDefault(key(labelValues), 0.0);
    }

    synchronized void put(double value, String... labelValues) {
        values.put(key(labelValues), value);
    }

    synchronized void addTo(double delta, String... labelValues) {
        values.merge(key(labelValues), delta, Double::sum);
    }

    private List<String> key(String[] labelValues) {
        if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(name + ": want labels " + Arrays.toString(labelNames));
        }
        return List.of(labelValues);
    }

    @Override
    public synchronized void writeTo(StringBuilder out) {
        Collector.header(out, name, help, type);
        values.forEach((k, v) -> out.append(name).append(Collector.labels(labelNames, k)).append(' ')
                .append(Collector.number(v)).append('\n'));
    }
}
