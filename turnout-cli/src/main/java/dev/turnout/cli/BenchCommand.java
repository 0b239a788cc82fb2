package dev.turnout.cli;

import dev.turnout.bench.DnsBench;
import dev.turnout.bench.IptablesBench;
import dev.turnout.bench.NftablesBench;
import dev.turnout.bench.UserspaceBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code turnout bench}: run a benchmark and write its section of docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and record it in docs/benchmarks.md. Benchmarks: iptables (compile and "
                + "iptables-restore times at 1k and 10k Services), nftables (time from a change to its rules in the "
                + "kernel at 1, 1k and 10k Services), dns (dnsperf against turnout dns and unbound on loopback, same "
                + "names; memory with 10k Services), userspace (the userspace proxy against HAProxy on loopback: "
                + "connections per second and throughput; needs haproxy). iptables and nftables need root for the namespace.")
final class BenchCommand implements Callable<Integer> {
    enum Which { iptables, nftables, dns, userspace }

    @Parameters(paramLabel = "BENCHMARK", description = "One of: ${COMPLETION-CANDIDATES}.")
    Which which;

    @Option(names = "--doc", defaultValue = "docs/benchmarks.md", paramLabel = "FILE",
            description = "Where to record the results (default: ${DEFAULT-VALUE}).")
    Path doc;

    @Override
    public Integer call() throws Exception {
        switch (which) {
            case iptables -> new IptablesBench(System.out).run(doc);
            case nftables -> new NftablesBench(System.out).run(doc);
            case dns -> new DnsBench(System.out).run(doc);
            case userspace -> new UserspaceBench(System.out).run(doc);
            default -> throw new IllegalStateException(which.name());
        }
        return 0;
    }
}
