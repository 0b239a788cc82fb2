package dev.turnout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code turnout proxy}'s modes and the userspace flags, checked before anything starts. */
class ProxyCommandTest {
    @TempDir
    Path dir;

    @Test
    void proxyOffersBothModesAndRulesOnlyIptables() {
        CliRun bad = CliRun.of("proxy", "--mode", "ipvs", "--manifests", dir.toString());
        assertThat(bad.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).contains("iptables").contains("userspace");

        CliRun rules = CliRun.of("rules", "--mode", "userspace", "--manifests", dir.toString());
        assertThat(rules.code()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void userspaceFlagsAreCheckedBeforeStarting() {
        CliRun r = CliRun.of("proxy", "--mode", "userspace", "--manifests", dir.toString(), "--node-name", "n1",
                "--udp-timeout", "0s");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("--udp-timeout");

        CliRun noSource = CliRun.of("proxy", "--mode", "userspace", "--node-name", "n1");
        assertThat(noSource.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noSource.err()).contains("--manifests");

        CliRun addresses = CliRun.of("proxy", "--mode", "userspace", "--userspace-addresses", "everywhere",
                "--manifests", dir.toString());
        assertThat(addresses.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(addresses.err()).contains("dummy").contains("loopback");
    }
}
