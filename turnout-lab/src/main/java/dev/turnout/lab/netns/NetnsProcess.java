package dev.turnout.lab.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process inside a network namespace. The PID is the workload's own (the launch chain
 * execs rather than forks), so stopping it signals exactly that process and nothing found by name.
 */
public final class NetnsProcess implements AutoCloseable {

    private static final long GRACE_MILLIS = 3_000;

    private final String namespace;
    private final Process process;
    private final Path log;

    public NetnsProcess(String namespace, Process process, Path log) {
        this.namespace = namespace;
        this.process = process;
        this.log = log;
    }

    public long pid() {
        return process.pid();
    }

    public String namespace() {
        return namespace;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far (stdout and stderr interleaved). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to our PID, then SIGKILL if it has not exited within the grace period. Idempotent. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "pid " + pid() + " in " + namespace;
    }
}
