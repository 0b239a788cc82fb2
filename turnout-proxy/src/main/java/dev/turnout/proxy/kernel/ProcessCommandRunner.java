package dev.turnout.proxy.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@link ProcessBuilder}; with a network namespace name, every command is run as
 * {@code ip netns exec NAME argv...}, so the same proxy code programs a node that is a namespace.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private final String netns;
    private final Duration timeout;

    /**
     * @param netns the {@code ip netns} name to run in, or null for the caller's own namespace
     * @param timeout how long a command may take before it is killed
     */
    public ProcessCommandRunner(String netns, Duration timeout) {
        this.netns = netns == null || netns.isEmpty() ? null : netns;
        this.timeout = timeout;
    }

    public ProcessCommandRunner() {
        this(null, Duration.ofMinutes(1));
    }

    public String netns() {
        return netns;
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(argv);
        Process p = new ProcessBuilder(cmd).start();
        // One thread per pipe, never a shared pool: the three block on the process, and a pool with
        // fewer free workers than pipes would deadlock until the timeout.
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), ProcessCommandRunner::daemon);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), ProcessCommandRunner::daemon);
        // Input is written on its own thread: a command that reads slowly (iptables-restore with a
        // large ruleset) must not hold us past the timeout, which counts from the start.
        CompletableFuture.runAsync(() -> {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The command may exit (or be killed) before reading all its input; its exit code says what went wrong.
            }
        }, ProcessCommandRunner::daemon);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out after " + timeout);
            }
            return new CommandResult(cmd, p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(String.join(" ", cmd) + ": reading output failed", e.getCause());
        }
    }

    private static String readAll(InputStream s) {
        try (s) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "command-io");
        t.setDaemon(true);
        t.start();
    }
}
