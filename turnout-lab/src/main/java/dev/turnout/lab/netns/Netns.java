package dev.turnout.lab.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Named network namespaces as {@code ip netns} manages them (bind mounts under /run/netns).
 * Every operation is one argv through the {@link CommandRunner}.
 */
public final class Netns {

    /** Namespace bookkeeping commands are instant; anything slower means the machine is stuck. */
    public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;

    public Netns(CommandRunner runner) {
        this.runner = runner;
    }

    public CommandRunner runner() {
        return runner;
    }

    public void create(String name) {
        runner.run(List.of("ip", "netns", "add", name), ADMIN_TIMEOUT).orThrow();
    }

    /** Deletes the namespace if it exists; the kernel frees it once no process lives in it any more. */
    public void delete(String name) {
        if (exists(name)) {
            runner.run(List.of("ip", "netns", "del", name), ADMIN_TIMEOUT).orThrow();
        }
    }

    public boolean exists(String name) {
        return list().contains(name);
    }

    /** Names of all named namespaces on the machine. */
    public List<String> list() {
        String out = runner.run(List.of("ip", "netns", "list"), ADMIN_TIMEOUT).orThrow().stdout();
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            // lines look like "name" or "name (id: 3)"
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** PIDs of every process whose network namespace is this one. */
    public List<Long> pids(String name) {
        CommandResult r = runner.run(List.of("ip", "netns", "pids", name), ADMIN_TIMEOUT);
        if (!r.succeeded()) {
            return List.of();
        }
        return Arrays.stream(r.stdout().split("\\s+")).filter(s -> !s.isBlank()).map(Long::parseLong).toList();
    }

    /** Runs argv inside the namespace to completion; does not throw on failure (see {@link CommandResult#orThrow()}). */
    public CommandResult exec(String name, List<String> argv, Duration timeout) {
        return runner.run(inNamespace(name, argv), timeout);
    }

    /** Runs argv inside the namespace and throws when it fails. */
    public CommandResult execOrThrow(String name, String... argv) {
        return exec(name, List.of(argv), ADMIN_TIMEOUT).orThrow();
    }

    /** Starts argv inside the namespace in the background, output appended to {@code log}. */
    public NetnsProcess start(String name, List<String> argv, Path log) {
        try {
            return new NetnsProcess(name, runner.start(inNamespace(name, argv), log), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv) + " in " + name, e);
        }
    }

    /** {@code ip netns exec} execs the command without forking, so the PID we get is the command's own. */
    public static List<String> inNamespace(String name, List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        return full;
    }
}
