package dev.turnout.cli;

import dev.turnout.lab.netexec.Netexec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code turnout netexec}: the test workload, our own take on agnhost netexec. */
@Command(name = "netexec", description = "Serve HTTP /hostname, /clientip, /echo on --http-port (8080) and UDP "
        + "hostname/clientip/echo on --udp-port (8081), like the upstream e2e workload agnhost netexec.")
final class NetexecCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        Netexec.main(args.toArray(String[]::new));
        return 0;
    }
}
