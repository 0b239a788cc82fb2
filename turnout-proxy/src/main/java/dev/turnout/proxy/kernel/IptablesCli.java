package dev.turnout.proxy.kernel;

import dev.turnout.model.IpFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Iptables} by running the iptables binaries. Every command that takes the xtables lock
 * waits for it as upstream does on iptables 1.6.2 and later: {@code -w 5 -W 100000} (wait up to 5
 * seconds, polling every 100ms), for both iptables and iptables-restore.
 */
public final class IptablesCli implements Iptables {
    static final List<String> WAIT = List.of("-w", "5", "-W", "100000");

    private final CommandRunner runner;
    private final String iptables;
    private final String restore;
    private final String save;

    public IptablesCli(CommandRunner runner, IpFamily family) {
        this(runner, family, "");
    }

    /**
     * @param backend "" for the system's default iptables, or "legacy" / "nft" to pick one of the
     *     two Debian ships ({@code iptables-legacy-restore}, {@code iptables-nft-restore}, …)
     */
    public IptablesCli(CommandRunner runner, IpFamily family, String backend) {
        this.runner = runner;
        String base = (family == IpFamily.IPv6 ? "ip6tables" : "iptables") + (backend.isEmpty() ? "" : "-" + backend);
        this.iptables = base;
        this.restore = base + "-restore";
        this.save = base + "-save";
    }

    @Override
    public void restore(String input, boolean noFlush, boolean counters) throws KernelException {
        List<String> argv = new ArrayList<>(List.of(restore));
        argv.addAll(WAIT);
        if (noFlush) {
            argv.add("--noflush");
        }
        if (counters) {
            argv.add("--counters");
        }
        CommandResult r = exec(argv, input);
        if (!r.ok()) {
            throw new KernelException(r);
        }
    }

    @Override
    public String save(String table) throws KernelException {
        CommandResult r = exec(List.of(save, "-t", table), null);
        if (!r.ok()) {
            throw new KernelException(r);
        }
        return r.stdout();
    }

    @Override
    public boolean ensureChain(String table, String chain) throws KernelException {
        CommandResult r = iptables(table, "-N", chain);
        if (r.ok()) {
            return false;
        }
        // Upstream treats exit 1 from -N as "chain already exists".
        if (r.exitCode() == 1) {
            return true;
        }
        throw new KernelException(r);
    }

    @Override
    public boolean ensureRule(RulePosition position, String table, String chain, List<String> args)
            throws KernelException {
        if (checkRule(table, chain, args)) {
            return true;
        }
        CommandResult r = iptables(table, position.flag(), chain, args);
        if (!r.ok()) {
            throw new KernelException(r);
        }
        return false;
    }

    @Override
    public void deleteRule(String table, String chain, List<String> args) throws KernelException {
        if (!checkRule(table, chain, args)) {
            return;
        }
        CommandResult r = iptables(table, "-D", chain, args);
        if (!r.ok() && !isNotFound(r)) {
            throw new KernelException(r);
        }
    }

    @Override
    public boolean chainExists(String table, String chain) throws KernelException {
        CommandResult r = iptables(table, "-S", chain, List.of("1"));
        return r.ok();
    }

    @Override
    public void flushChain(String table, String chain) throws KernelException {
        CommandResult r = iptables(table, "-F", chain);
        if (!r.ok()) {
            throw new KernelException(r);
        }
    }

    @Override
    public void deleteChain(String table, String chain) throws KernelException {
        CommandResult r = iptables(table, "-X", chain);
        if (!r.ok()) {
            throw new KernelException(r);
        }
    }

    /** {@code -C}: exit 0 found, exit 1 (or a missing chain/target) not found, else an error. */
    private boolean checkRule(String table, String chain, List<String> args) throws KernelException {
        CommandResult r = iptables(table, "-C", chain, args);
        if (r.ok()) {
            return true;
        }
        if (isNotFound(r)) {
            return false;
        }
        throw new KernelException(r);
    }

    /** Upstream's IsNotFoundError: exit 1, or the messages iptables prints for a missing chain or rule. */
    static boolean isNotFound(CommandResult r) {
        String err = r.stderr().toLowerCase(Locale.ROOT);
        return r.exitCode() == 1
                || err.contains("no chain/target/match by that name")
                || err.contains("does a matching rule exist")
                || err.contains("couldn't load target")
                || err.contains("chain '") && err.contains("does not exist");
    }

    private CommandResult iptables(String table, String op, String chain) throws KernelException {
        return iptables(table, op, chain, List.of());
    }

    private CommandResult iptables(String table, String op, String chain, List<String> args) throws KernelException {
        List<String> argv = new ArrayList<>(List.of(iptables));
        argv.addAll(WAIT);
        argv.addAll(List.of("-t", table, op, chain));
        argv.addAll(args);
        return exec(argv, null);
    }

    private CommandResult exec(List<String> argv, String stdin) throws KernelException {
        try {
            return runner.run(argv, stdin);
        } catch (IOException e) {
            throw new KernelException(String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }
}
