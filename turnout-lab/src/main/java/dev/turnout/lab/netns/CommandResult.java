package dev.turnout.lab.netns;

import java.util.List;

/** What a finished command printed and how it exited. {@code timedOut} means it was killed by the runner. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {

    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Returns this result, or throws naming the command and its stderr when it did not succeed. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }
}
