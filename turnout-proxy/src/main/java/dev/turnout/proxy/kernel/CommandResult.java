package dev.turnout.proxy.kernel;

import java.util.List;

/** What a finished command left behind. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** The command line and its outcome, for error messages. */
    public String describe() {
        String err = stderr.strip();
        return String.join(" ", argv) + ": exit " + exitCode + (err.isEmpty() ? "" : ": " + err);
    }
}
