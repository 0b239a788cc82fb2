package dev.turnout.lab.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The single seam between the lab and the kernel: everything the lab does to the machine goes through
 * an argv run here, so unit tests can record the commands instead of executing them.
 */
public interface CommandRunner {

    /** Runs argv to completion; kills it (by its PID) when it outlives the timeout. Never throws on non-zero exit. */
    CommandResult run(List<String> argv, Duration timeout);

    /** Starts argv in the background with stdout and stderr appended to {@code log}. */
    Process start(List<String> argv, Path log) throws IOException;
}
