package dev.turnout.cli;

import dev.turnout.bench.IptablesBench;
import dev.turnout.bench.NftablesBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code turnout bench}: run a benchmark and write its section of docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and record it in docs/benchmarks.md. Benchmarks: iptables (compile and "
                + "iptables-restore times at 1k and 10k Services), nftables (time from a change to its rules in the kernel at 1, 1k and 10k Services); both need root for the namespace.")
final class BenchCommand implements Callable<Integer> {
    enum Which { iptables, nftables }

    @Parameters(paramLabel = "BENCHMARK", description = "One of: ${COMPLETION-CANDIDATES}.")
    Which which;

    @Option(names = "--doc", defaultValue = "docs/benchmarks.md", paramLabel = "FILE",
            description = "Where to record the results (default: ${DEFAULT-VALUE}).")
    Path doc;

    @Override
    public Integer call() throws Exception {
        switch (which) {
            case nftables -> new NftablesBench(System.out).run(doc);
            default -> new IptablesBench(System.out).run(doc);
        }
        return 0;
    }
}
