package dev.turnout.bench;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.server.DnsServer;
import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ObjectHandler;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DNS benchmark: dnsperf against {@code turnout dns} and against unbound serving the same
 * names as local data, one after the other in the same run, on loopback. 10k ClusterIP Services
 * and 500 headless ones (3 endpoints each); queries are A lookups of those names in random order.
 * unbound listens on 127.0.0.1 with a temporary config, and is started and stopped by PID.
 * Also records the heap the 10k Services take. Writes the "dns" section of docs/benchmarks.md.
 */
public final class DnsBench {
    static final String COMMAND = "bin/turnout bench dns";
    static final int SERVICES = 10_000;
    static final int HEADLESS = 500;
    static final int WARMUP_S = 5;
    static final int RUN_S = 15;
    static final String DNSPERF = "dnsperf -s 127.0.0.1 -p PORT -d queries.txt -l " + RUN_S + " -c 8 -q 200 -T 1";

    private final PrintStream out;

    public DnsBench(PrintStream out) {
        this.out = out;
    }

    record Result(double qps, double avgLatencyMs, double maxLatencyMs, long completed, long lost) {
    }

    public void run(Path doc) throws Exception {
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        long heapBefore = usedHeapAfterGc();
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        List<String> zoneLines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        build(services, slices, zoneLines, names);
        Path tmp = Files.createTempDirectory("turnout-dns-bench-");
        Process unbound = null;
        try {
            Collections.shuffle(names, new Random(1));
            Path queries = tmp.resolve("queries.txt");
            Files.write(queries, names.stream().map(n -> n + " A").toList());

            out.println("[1/3] turnout dns with " + SERVICES + " Services + " + HEADLESS + " headless …");
            Result turnout;
            long heapWith;
            long rssKb;
            DnsConfig config = DnsConfig.defaults(new InetSocketAddress("127.0.0.1", 0));
            try (DnsServer server = new DnsServer(config).start(new ListSource(services, slices))) {
                heapWith = usedHeapAfterGc();
                rssKb = rssKb();
                int port = server.udpAddress().getPort();
                dnsperf(port, queries, WARMUP_S); // JIT warm-up
                turnout = dnsperf(port, queries, RUN_S);
            }
            out.println("      " + turnout);

            out.println("[2/3] unbound with the same names as local-data …");
            int ubPort = freePort();
            Path conf = tmp.resolve("unbound.conf");
            Files.writeString(conf, unboundConf(tmp, ubPort, zoneLines));
            unbound = new ProcessBuilder("unbound", "-d", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("unbound.log").toFile()).start();
            awaitAnswer(ubPort, names.get(0), unbound, tmp);
            dnsperf(ubPort, queries, WARMUP_S);
            Result ub = dnsperf(ubPort, queries, RUN_S);
            out.println("      " + ub);

            out.println("[3/3] writing " + doc + " …");
            String md = report(turnout, ub, heapWith - heapBefore, rssKb, load);
            new BenchmarksDoc(doc).writeSection("dns", md);
            out.println(md);
        } finally {
            if (unbound != null) {
                unbound.destroy(); // SIGTERM to the PID we started
                if (!unbound.waitFor(5, TimeUnit.SECONDS)) {
                    unbound.destroyForcibly();
                }
            }
            try (var files = Files.walk(tmp)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void build(List<Service> services, List<EndpointSlice> slices, List<String> zoneLines, List<String> names) {
        for (int i = 0; i < SERVICES; i++) {
            String ns = "ns-" + (i % 100);
            String name = "svc-" + i;
            String ip = "10." + (96 + i / 65536) + "." + ((i / 256) % 256) + "." + (i % 256);
            services.add(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withNewSpec().withType("ClusterIP").withClusterIP(ip).withClusterIPs(ip)
                    .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80)
                            .withTargetPort(new IntOrString(8080)).build()).endSpec().build());
            String fqdn = name + "." + ns + ".svc.cluster.local.";
            zoneLines.add(fqdn + " 5 IN A " + ip);
            names.add(fqdn);
        }
        for (int i = 0; i < HEADLESS; i++) {
            String ns = "ns-" + (i % 100);
            String name = "peers-" + i;
            services.add(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withNewSpec().withClusterIP("None").withClusterIPs("None").endSpec().build());
            EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(name + "-x").withNamespace(ns)
                    .withLabels(Map.of("kubernetes.io/service-name", name)).endMetadata().withAddressType("IPv4");
            String fqdn = name + "." + ns + ".svc.cluster.local.";
            for (int e = 0; e < 3; e++) {
                String ip = "10.244." + (i / 80) + "." + ((i % 80) * 3 + e + 1);
                b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true)
                        .endConditions().build());
                zoneLines.add(fqdn + " 5 IN A " + ip);
            }
            slices.add(b.build());
            names.add(fqdn);
        }
    }

    private static String unboundConf(Path dir, int port, List<String> zoneLines) {
        StringBuilder sb = new StringBuilder();
        sb.append("server:\n")
                .append("  interface: 127.0.0.1@").append(port).append('\n')
                .append("  port: ").append(port).append('\n')
                .append("  do-ip6: no\n  do-daemonize: no\n  use-syslog: no\n  chroot: \"\"\n  username: \"\"\n")
                .append("  directory: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                .append("  logfile: \"\"\n  verbosity: 0\n")
                .append("  num-threads: ").append(Runtime.getRuntime().availableProcessors()).append('\n')
                .append("  so-reuseport: yes\n  access-control: 127.0.0.0/8 allow\n")
                .append("  module-config: \"iterator\"\n")
                .append("  local-zone: \"cluster.local.\" static\n");
        for (String l : zoneLines) {
            sb.append("  local-data: \"").append(l).append("\"\n");
        }
        sb.append("remote-control:\n  control-enable: no\n");
        return sb.toString();
    }

    private void awaitAnswer(int port, String name, Process p, Path dir) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("unbound exited: " + Files.readString(dir.resolve("unbound.log")));
            }
            Process dig = new ProcessBuilder("dig", "@127.0.0.1", "-p", String.valueOf(port), name, "+short",
                    "+tries=1", "+time=1").redirectErrorStream(true).start();
            String o = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dig.waitFor(5, TimeUnit.SECONDS);
            if (o.matches("(?s)\\d+\\.\\d+\\.\\d+\\.\\d+.*")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("unbound did not answer on 127.0.0.1:" + port);
    }

    private static Result dnsperf(int port, Path queries, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dnsperf", "-s", "127.0.0.1", "-p", String.valueOf(port), "-d", queries.toString(),
                "-l", String.valueOf(seconds), "-c", "8", "-q", "200", "-T", "1")
                .redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("dnsperf failed:\n" + o);
        }
        return new Result(num(o, "Queries per second:\\s+([\\d.]+)"), 1000 * num(o, "Average Latency \\(s\\):\\s+([\\d.]+)"),
                1000 * num(o, "max ([\\d.]+)\\)"), (long) num(o, "Queries completed:\\s+(\\d+)"),
                (long) num(o, "Queries lost:\\s+(\\d+)"));
    }

    private static double num(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in dnsperf output:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    String report(Result t, Result u, long heapBytes, long rssKb, String load) {
        double ratio = t.qps() / u.qps();
        return String.format(Locale.ROOT, """
                ## DNS: turnout dns against unbound

                `%s` — on %s. dnsperf %s (`%s`), each server warmed up for %d s, then measured for %d s;
                both on 127.0.0.1, one after the other in the same run. Data: %,d ClusterIP Services and %,d headless
                Services (3 ready endpoints each) in 100 namespaces; queries are A lookups of all %,d names in random
                order. unbound %s serves the same names as `local-data` in a `static` local zone, %d threads.
                Load average (/proc/loadavg) when the run started: `%s` — other work on the machine shares the two cores,
                and dnsperf (one thread) runs on them too, so the ratio is the number to read, not the absolute QPS.

                | server | QPS | avg latency | max latency | completed | lost |
                | --- | ---: | ---: | ---: | ---: | ---: |
                | turnout dns | %,.0f | %.3f ms | %.1f ms | %,d | %,d |
                | unbound | %,.0f | %.3f ms | %.1f ms | %,d | %,d |

                **QPS ratio turnout / unbound: %.2f×** (goal ≥ 0.8×).

                Memory: %,d Services (+ %,d headless with their slices) take %.1f MiB of heap in all — the fabric8
                objects the index keeps to diff updates, the index itself and the benchmark's list of names (used heap
                after GC, loaded minus before the objects were built); the benchmark JVM's resident set with the
                server running was %.0f MiB.
                """, COMMAND, BenchmarksDoc.machine(), dnsperfVersion(), DNSPERF, WARMUP_S, RUN_S, SERVICES, HEADLESS,
                SERVICES + HEADLESS, unboundVersion(), Runtime.getRuntime().availableProcessors(), load,
                t.qps(), t.avgLatencyMs(), t.maxLatencyMs(), t.completed(), t.lost(),
                u.qps(), u.avgLatencyMs(), u.maxLatencyMs(), u.completed(), u.lost(),
                ratio, SERVICES, HEADLESS, heapBytes / 1048576.0, rssKb / 1024.0);
    }

    private static String dnsperfVersion() {
        return firstMatch(List.of("dnsperf", "-h"), "Version ([\\d.]+)");
    }

    private static String unboundVersion() {
        return firstMatch(List.of("unbound", "-V"), "Version ([\\d.]+)");
    }

    private static String firstMatch(List<String> cmd, String regex) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile(regex).matcher(o);
            return m.find() ? m.group(1) : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /** Delivers fixed objects, then the synced signals. */
    private record ListSource(List<Service> services, List<EndpointSlice> slices) implements ClusterSource {
        @Override
        public void start(ObjectHandler<Service> s, ObjectHandler<EndpointSlice> e, ObjectHandler<Node> n) {
            services.forEach(s::onAdd);
            slices.forEach(e::onAdd);
            s.onSynced();
            e.onSynced();
        }

        @Override
        public void close() {
        }
    }
}
