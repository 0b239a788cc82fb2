package dev.turnout.proxy.kernel;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link Nft} by running the {@code nft} binary (through a {@link CommandRunner}, so in its netns). */
public final class NftCli implements Nft {
    private static final Pattern CHAIN = Pattern.compile("(?m)^\\s*chain (\\S+) \\{");
    private static final Pattern SET = Pattern.compile("(?m)^\\s*set (\\S+) \\{");

    private final CommandRunner runner;
    private final String family;
    private final String table;

    /** @param family {@code ip} or {@code ip6} */
    public NftCli(CommandRunner runner, String family, String table) {
        this.runner = runner;
        this.family = family;
        this.table = table;
    }

    @Override
    public void run(String transaction) throws KernelException {
        CommandResult r = exec(List.of("nft", "-f", "-"), transaction);
        if (!r.ok()) {
            throw new KernelException(r);
        }
    }

    @Override
    public Names names() throws KernelException {
        // terse (-t) leaves set and map elements out: cheap even for big maps
        String text = listTerse();
        return new Names(names(CHAIN, text), names(SET, text));
    }

    private String listTerse() throws KernelException {
        CommandResult r = exec(List.of("nft", "-t", "list", "table", family, table), null);
        if (!r.ok()) {
            if (notFound(r)) {
                return "";
            }
            throw new KernelException(r);
        }
        return r.stdout();
    }

    @Override
    public String listTable() throws KernelException {
        CommandResult r = exec(List.of("nft", "list", "table", family, table), null);
        if (!r.ok()) {
            if (notFound(r)) {
                return "";
            }
            throw new KernelException(r);
        }
        return r.stdout();
    }

    @Override
    public void deleteTable() throws KernelException {
        CommandResult r = exec(List.of("nft", "delete", "table", family, table), null);
        if (!r.ok() && !notFound(r)) {
            throw new KernelException(r);
        }
    }

    private static boolean notFound(CommandResult r) {
        return r.stderr().contains("No such file or directory");
    }

    private static Set<String> names(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private CommandResult exec(List<String> argv, String stdin) throws KernelException {
        try {
            return runner.run(argv, stdin);
        } catch (IOException e) {
            throw new KernelException(String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }
}
