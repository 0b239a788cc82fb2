package dev.turnout.proxy.metrics;

import java.util.Arrays;

/** A distribution of observations over fixed upper bounds, cumulative as Prometheus wants. */
public final class Histogram implements Collector {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final long[] counts;
    private double sum;
    private long count;

    public Histogram(String name, String help, double[] bounds) {
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        Arrays.sort(this.bounds);
        this.counts = new long[bounds.length];
    }

    /** {@code count} bounds from {@code start}, each {@code factor} times the last (prometheus.ExponentialBuckets). */
    public static double[] exponentialBuckets(double start, double factor, int count) {
        double[] out = new double[count];
        double v = start;
        for (int i = 0; i < count; i++) {
            out[i] = v;
            v *= factor;
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    public synchronized void observe(double v) {
        for (int i = 0; i < bounds.length; i++) {
            if (v <= bounds[i]) {
                counts[i]++;
            }
        }
        sum += v;
        count++;
    }

    public synchronized long count() {
        return count;
    }

    @Override
    public synchronized void writeTo(StringBuilder out) {
        Collector.header(out, name, help, "histogram");
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{le=\"").append(Collector.number(bounds[i])).append("\"} ")
                    .append(counts[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append(name).append("_sum ").append(Collector.number(sum)).append('\n');
        out.append(name).append("_count ").append(count).append('\n');
    }
}
