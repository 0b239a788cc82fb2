package dev.turnout.proxy.kernel.fake;

import dev.turnout.proxy.kernel.CommandResult;
import dev.turnout.proxy.kernel.CommandRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link CommandRunner} that records each command line (and its stdin) and answers from a
 * script; by default every command succeeds with no output.
 */
public final class RecordingCommandRunner implements CommandRunner {
    /** One recorded call. */
    public record Call(List<String> argv, String stdin) {
        @Override
        public String toString() {
            return String.join(" ", argv);
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Function<List<String>, CommandResult> script;

    public RecordingCommandRunner(Function<List<String>, CommandResult> script) {
        this.script = script;
    }

    public RecordingCommandRunner() {
        this(argv -> new CommandResult(argv, 0, "", ""));
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public synchronized CommandResult run(List<String> argv, String stdin) {
        calls.add(new Call(List.copyOf(argv), stdin));
        return script.apply(argv);
    }
}
