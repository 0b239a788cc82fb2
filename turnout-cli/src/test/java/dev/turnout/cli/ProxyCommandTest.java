package dev.turnout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code turnout proxy}'s modes and the userspace flags, checked before anything starts. */
class ProxyCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void proxyOffersBothModesAndRulesOnlyIptables() {
        Run bad = run("proxy", "--mode", "ipvs", "--manifests", dir.toString());
        assertThat(bad.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).contains("iptables").contains("userspace");

        Run rules = run("rules", "--mode", "userspace", "--manifests", dir.toString());
        assertThat(rules.code()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void userspaceFlagsAreCheckedBeforeStarting() {
        Run r = run("proxy", "--mode", "userspace", "--manifests", dir.toString(), "--node-name", "n1",
                "--udp-timeout", "0s");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("--udp-timeout");

        Run noSource = run("proxy", "--mode", "userspace", "--node-name", "n1");
        assertThat(noSource.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noSource.err()).contains("--manifests");

        Run addresses = run("proxy", "--mode", "userspace", "--userspace-addresses", "everywhere",
                "--manifests", dir.toString());
        assertThat(addresses.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(addresses.err()).contains("dummy").contains("loopback");
    }
}
