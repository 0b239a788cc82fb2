package dev.turnout.proxy.kernel;

import java.io.IOException;
import java.util.List;

/**
 * Runs one external command to completion. A non-zero exit is a result, not an exception: only the
 * caller knows whether "exit 1" means failure or "already there". {@link IOException} means the
 * command could not be run at all (missing binary, timeout, interrupt).
 */
@FunctionalInterface
public interface CommandRunner {
    /** Runs {@code argv}, feeding it {@code stdin} when that is not null. */
    CommandResult run(List<String> argv, String stdin) throws IOException;

    default CommandResult run(List<String> argv) throws IOException {
        return run(argv, null);
    }
}
