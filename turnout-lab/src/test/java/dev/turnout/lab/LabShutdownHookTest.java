package dev.turnout.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM that is terminated (SIGTERM) while its lab is up still removes the lab through its shutdown hook. */
class LabShutdownHookTest {

    @Test
    void terminatedJvmCleansUpItsLab() throws Exception {
        String prefix = LabNames.randomPrefix();
        Process jvm = new ProcessBuilder(JavaCommand.forMain(ShutdownHookProbe.class, List.of(prefix)))
                .redirectErrorStream(true).start();
        long workload;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("probe output").startsWith("up ");
            workload = Long.parseLong(line.substring(3).strip());
            assertThat(ProcessHandle.of(workload)).isPresent();
            jvm.destroy();
            assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).isTrue();
            // the probe has exited, so its hook has finished: nothing of its lab may remain
            LabAssertions.assertNothingLeft(prefix, List.of(workload));
        } finally {
            jvm.destroyForcibly();
            LabNetwork.cleanupLeftovers(prefix); // only matters when the hook failed
        }
    }
}
