package dev.turnout.lab.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Records every argv. By default answers with an empty success, or delegates to a real runner; a
 * predicate makes matching commands fail, to simulate the kernel refusing something halfway through.
 */
public final class RecordingCommandRunner implements CommandRunner {

    private final CommandRunner delegate;
    private final List<List<String>> commands = new ArrayList<>();
    private Predicate<List<String>> failWhen = argv -> false;
    private Function<List<String>, String> stdout = argv -> "";

    public RecordingCommandRunner() {
        this(null);
    }

    public RecordingCommandRunner(CommandRunner delegate) {
        this.delegate = delegate;
    }

    public RecordingCommandRunner failWhen(Predicate<List<String>> predicate) {
        this.failWhen = predicate;
        return this;
    }

    public RecordingCommandRunner answer(Function<List<String>, String> fakeStdout) {
        this.stdout = fakeStdout;
        return this;
    }

    public synchronized List<List<String>> commands() {
        return List.copyOf(commands);
    }

    /** Commands joined with spaces, for readable assertions. */
    public List<String> lines() {
        return commands().stream().map(c -> String.join(" ", c)).toList();
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        synchronized (this) {
            commands.add(List.copyOf(argv));
        }
        if (failWhen.test(argv)) {
            return new CommandResult(argv, 2, "", "simulated failure", false);
        }
        if (delegate != null) {
            return delegate.run(argv, timeout);
        }
        return new CommandResult(argv, 0, stdout.apply(argv), "", false);
    }

    @Override
    public Process start(List<String> argv, Path log) throws IOException {
        synchronized (this) {
            commands.add(List.copyOf(argv));
        }
        if (delegate == null) {
            throw new IOException("recording runner cannot start processes");
        }
        return delegate.start(argv, log);
    }
}
