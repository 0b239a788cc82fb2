package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.SeedDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** README's main job, run as a user runs it: every step verified, the lab gone afterwards. */
class SeedDemoE2ETest {
    @Test
    void theSeedDemoVerifiesEveryStepAndLeavesNothingBehind() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = new SeedDemo(new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        String out = buf.toString(StandardCharsets.UTF_8);

        assertThat(ok).as(out).isTrue();
        assertThat(out)
                .contains("example-svc   LoadBalancer  10.96.251.56   203.0.113.186    80:30928/TCP")
                .contains("300/300 answered by all three pods")
                .contains("-j DNAT --to-destination 10.244.1.2:8080")
                .contains("each KUBE-SEP DNAT rule counted exactly the connections its pod answered (900 in all)")
                .contains("All steps verified.");
    }
}
