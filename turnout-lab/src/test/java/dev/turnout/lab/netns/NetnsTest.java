package dev.turnout.lab.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetnsTest {

    @Test
    void commandsAreIpNetnsInvocations() {
        RecordingCommandRunner runner = new RecordingCommandRunner()
                .answer(argv -> argv.equals(List.of("ip", "netns", "list")) ? "tntaaaaa-node1 (id: 3)\nother\n" : "");
        Netns netns = new Netns(runner);
        netns.create("tntaaaaa-x");
        netns.exec("tntaaaaa-x", List.of("ip", "addr"), Duration.ofSeconds(1));
        netns.delete("tntaaaaa-node1");
        netns.delete("missing");
        assertThat(runner.lines()).containsExactly(
                "ip netns add tntaaaaa-x",
                "ip netns exec tntaaaaa-x ip addr",
                "ip netns list",
                "ip netns del tntaaaaa-node1",
                "ip netns list");
        assertThat(netns.list()).containsExactly("tntaaaaa-node1", "other");
    }

    @Test
    void failuresNameTheCommandAndStderr() {
        Netns netns = new Netns(new RecordingCommandRunner().failWhen(argv -> true));
        assertThatThrownBy(() -> netns.create("tntaaaaa-x"))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("ip netns add tntaaaaa-x exited 2: simulated failure");
    }

    @Test
    void hostRunnerCapturesOutputAndKillsOnTimeout() {
        HostCommandRunner host = new HostCommandRunner();
        CommandResult ok = host.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(5));
        assertThat(ok).extracting(CommandResult::exitCode, CommandResult::stdout, CommandResult::stderr)
                .containsExactly(3, "out\n", "err\n");
        long start = System.nanoTime();
        CommandResult slow = host.run(List.of("sleep", "30"), Duration.ofMillis(200));
        assertThat(slow.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
