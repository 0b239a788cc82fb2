package dev.turnout.proxy.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {
    @Test
    void passesInputAndCollectsOutputAndExitCode() throws Exception {
        CommandResult r = new ProcessCommandRunner(null, Duration.ofSeconds(10))
                .run(List.of("sh", "-c", "tr a-z A-Z; echo oops >&2; exit 3"), "hello");

        assertThat(r.stdout()).isEqualTo("HELLO");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void aCommandThatDoesNotReadItsInputStillTimesOut() {
        // 4 MiB never read: writing it would block forever on a full pipe if input were written
        // before the timeout started counting.
        String input = "x".repeat(4 << 20);
        ProcessCommandRunner runner = new ProcessCommandRunner(null, Duration.ofMillis(500));

        assertThatThrownBy(() -> runner.run(List.of("sleep", "30"), input))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("timed out");
    }
}
