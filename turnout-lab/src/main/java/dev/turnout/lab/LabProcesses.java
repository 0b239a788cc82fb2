package dev.turnout.lab;

import dev.turnout.lab.netns.Netns;
import dev.turnout.lab.netns.NetnsProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The background processes a lab started, each with a log file in the lab's temporary log directory. */
final class LabProcesses {

    private final Netns netns;
    private final String prefix;
    private final List<NetnsProcess> running = new ArrayList<>();
    private Path logDir;
    private int started;

    LabProcesses(Netns netns, String prefix) {
        this.netns = netns;
        this.prefix = prefix;
    }

    synchronized NetnsProcess start(String namespace, List<String> argv) {
        Path log = logDir().resolve(namespace + "-" + (++started) + ".log");
        NetnsProcess p = netns.start(namespace, argv, log);
        running.add(p);
        return p;
    }

    synchronized List<NetnsProcess> all() {
        return List.copyOf(running);
    }

    /** Stops (by PID) every process started in {@code namespace}. */
    synchronized void stopIn(String namespace) {
        for (NetnsProcess p : List.copyOf(running)) {
            if (p.namespace().equals(namespace)) {
                p.stop();
                running.remove(p);
            }
        }
    }

    /** Stops everything, newest first, and removes the logs; returns what failed instead of throwing. */
    synchronized List<RuntimeException> stopAll() {
        List<RuntimeException> failures = new ArrayList<>();
        List<NetnsProcess> newestFirst = new ArrayList<>(running);
        Collections.reverse(newestFirst);
        for (NetnsProcess p : newestFirst) {
            try {
                p.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        running.clear();
        deleteLogs();
        return failures;
    }

    private Path logDir() {
        if (logDir == null) {
            try {
                logDir = Files.createTempDirectory(prefix + "-logs");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return logDir;
    }

    private void deleteLogs() {
        if (logDir == null) {
            return;
        }
        try (var files = Files.list(logDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(logDir);
        } catch (IOException ignored) {
            // leftover logs in the temp directory are harmless
        }
        logDir = null;
    }
}
