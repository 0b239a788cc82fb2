package dev.turnout.lab.netns;

/** A command exited non-zero or ran past its timeout; the message carries the argv and stderr for diagnosis. */
public class CommandFailedException extends RuntimeException {

    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(describe(result));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    private static String describe(CommandResult r) {
        String how = r.timedOut() ? "timed out" : "exited " + r.exitCode();
        String err = r.stderr().isBlank() ? r.stdout() : r.stderr();
        return String.join(" ", r.argv()) + " " + how + (err.isBlank() ? "" : ": " + err.strip());
    }
}
