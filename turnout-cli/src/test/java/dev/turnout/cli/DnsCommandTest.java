package dev.turnout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code turnout dns} flag errors are usage errors (exit 2) with a message that says what to fix. */
class DnsCommandTest {
    private static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void needsExactlyOneSource() {
        assertThat(run("dns")).containsExactly("2", "error: exactly one of --kubeconfig FILE or --manifests PATH is required\n");
        assertThat(run("dns", "--manifests", "examples/seed", "--kubeconfig", "x")[0]).isEqualTo("2");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(run("dns", "--manifests", "x", "--listen", "localhost:53")[1])
                .contains("--listen: \"localhost:53\" is not IP[:PORT]");
        assertThat(run("dns", "--manifests", "x", "--upstream", "1.2.3.4:70000")[0]).isEqualTo("2");
        assertThat(run("dns", "--manifests", "x", "--ttl", "-1")[1]).contains("--ttl: -1 is outside 0..3600");
        assertThat(run("dns", "--manifests", "x", "--pods", "sometimes")[0]).isEqualTo("2");
        assertThat(run("dns", "--kubeconfig", "/nonexistent/kubeconfig")[1])
                .contains("/nonexistent/kubeconfig: no such file or directory");
    }
}
