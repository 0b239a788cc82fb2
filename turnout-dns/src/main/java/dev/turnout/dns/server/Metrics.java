package dev.turnout.dns.server;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Prometheus counters named as CoreDNS's metrics plugin names them ({@code coredns_dns_requests_total},
 * {@code coredns_dns_responses_total}, {@code coredns_dns_request_duration_seconds}) and as its
 * forward plugin does ({@code coredns_forward_requests_total}). Label values come from small fixed
 * sets (types outside CoreDNS's list count as "other"), so a flood of odd queries cannot grow them.
 */
public final class Metrics {
    /** The query types CoreDNS counts by name (plugin/metrics/vars/report.go's monitored types). */
    private static final Set<Integer> MONITORED = Set.of(Type.A, Type.AAAA, Type.NS, Type.PTR, Type.SRV, Type.CNAME,
            Type.SOA, Type.MX, Type.TXT, Type.ANY, Type.DS, Type.DNSKEY, Type.HTTPS, Type.SVCB, Type.NAPTR,
            Type.IXFR, Type.AXFR);
    private static final double[] BUCKETS = {0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064,
        0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192};

    private volatile String server = "dns://:53";
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /** The {@code server} label, as CoreDNS writes it ({@code dns://ADDR:PORT}); set once the port is bound. */
    public void server(String label) {
        this.server = label;
    }

    public static String typeLabel(int qtype) {
        return MONITORED.contains(qtype) ? Type.string(qtype) : "other";
    }

    public void request(String zone, Transport proto, boolean ipv6, int qtype) {
        inc("coredns_dns_requests_total{server=\"" + server + "\",zone=\"" + zone + "\",view=\"\",proto=\"" + proto
                + "\",family=\"" + (ipv6 ? 2 : 1) + "\",type=\"" + typeLabel(qtype) + "\"}");
    }

    public void response(String zone, String plugin, int rcode, int qtype, long nanos) {
        String rc = rcode >= 0 && rcode <= 23 ? Rcode.string(rcode) : "other";
        inc("coredns_dns_responses_total{server=\"" + server + "\",zone=\"" + zone + "\",view=\"\",rcode=\"" + rc
                + "\",plugin=\"" + plugin + "\"}");
        durations.computeIfAbsent("server=\"" + server + "\",zone=\"" + zone + "\",view=\"\",type=\"" + typeLabel(qtype)
                + "\"", k -> new Histogram()).observe(nanos / 1e9);
    }

    public void forwarded(String to) {
        inc("coredns_forward_requests_total{to=\"" + to + "\"}");
    }

    public void forwardFailed(String to) {
        inc("coredns_forward_healthcheck_failures_total{to=\"" + to + "\"}");
    }

    public void dropped(String reason) {
        inc("turnout_dns_dropped_total{reason=\"" + reason + "\"}");
    }

    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    private void inc(String series) {
        counters.computeIfAbsent(series, k -> new LongAdder()).increment();
    }

    /** The exposition text (Prometheus text format 0.0.4). */
    public String render() {
        StringBuilder sb = new StringBuilder();
        Map<String, Long> sorted = new TreeMap<>();
        counters.forEach((k, v) -> sorted.put(k, v.sum()));
        String last = null;
        for (var e : sorted.entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('{'));
            if (!name.equals(last)) {
                sb.append("# TYPE ").append(name).append(" counter\n");
                last = name;
            }
            sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        sb.append("# TYPE coredns_dns_request_duration_seconds histogram\n");
        new TreeMap<>(durations).forEach((labels, h) -> h.render(sb, "coredns_dns_request_duration_seconds", labels));
        new TreeMap<>(gauges).forEach((name, v) -> sb.append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(v.getAsLong()).append('\n'));
        return sb.toString();
    }

    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder total = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            total.increment();
            sum.add(seconds);
        }

        void render(StringBuilder sb, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(BUCKETS[i]).append("\"} ")
                        .append(cumulative).append('\n');
            }
            sb.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(total.sum()).append('\n');
            sb.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
            sb.append(name).append("_count{").append(labels).append("} ").append(total.sum()).append('\n');
        }
    }
}
