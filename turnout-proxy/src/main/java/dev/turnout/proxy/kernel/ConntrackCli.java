package dev.turnout.proxy.kernel;

import dev.turnout.model.IpFamily;
import dev.turnout.model.Ips;
import dev.turnout.model.Protocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link Conntrack} through the {@code conntrack} CLI, with upstream's arguments. */
public final class ConntrackCli implements Conntrack {
    /** What conntrack prints (with exit 1) when nothing matched; upstream ignores it. */
    static final String NO_CONNECTION_TO_DELETE = "0 flow entries have been deleted";

    private final CommandRunner runner;

    public ConntrackCli(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void clearEntriesForIp(String ip, Protocol protocol) throws KernelException {
        exec(isIpv6(ip), "--orig-dst", ip, "-p", protocol.lower());
    }

    @Override
    public void clearEntriesForPort(int port, boolean ipv6, Protocol protocol) throws KernelException {
        if (port <= 0) {
            throw new IllegalArgumentException("wrong port number " + port);
        }
        exec(ipv6, "-p", protocol.lower(), "--dport", Integer.toString(port));
    }

    @Override
    public void clearEntriesForNat(String origin, String dest, Protocol protocol) throws KernelException {
        exec(isIpv6(origin), "--orig-dst", origin, "--dst-nat", dest, "-p", protocol.lower());
    }

    @Override
    public void clearEntriesForPortNat(String dest, int port, Protocol protocol) throws KernelException {
        if (port <= 0) {
            throw new IllegalArgumentException("wrong port number " + port);
        }
        exec(isIpv6(dest), "-p", protocol.lower(), "--dport", Integer.toString(port), "--dst-nat", dest);
    }

    private static boolean isIpv6(String ip) {
        return Ips.familyOf(ip) == IpFamily.IPv6;
    }

    private void exec(boolean ipv6, String... filter) throws KernelException {
        List<String> argv = new ArrayList<>(List.of("conntrack", "-D"));
        argv.addAll(List.of(filter));
        if (ipv6) {
            argv.addAll(List.of("-f", "ipv6"));
        }
        CommandResult r;
        try {
            r = runner.run(argv);
        } catch (IOException e) {
            throw new KernelException(String.join(" ", argv) + ": " + e.getMessage(), e);
        }
        if (!r.ok() && !(r.stderr() + r.stdout()).contains(NO_CONNECTION_TO_DELETE)) {
            throw new KernelException(r);
        }
    }
}
