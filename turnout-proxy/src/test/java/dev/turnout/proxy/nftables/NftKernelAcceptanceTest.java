package dev.turnout.proxy.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every golden transaction to the real {@code nft} inside a network namespace this test
 * creates (unique name) and always deletes: the earlier syncs of a case are applied for real,
 * then the golden one is checked with {@code nft -c} and applied. Skipped without root, ip or nft.
 */
class NftKernelAcceptanceTest {
    static List<NftGoldenCases.Case> cases() {
        return NftGoldenCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nftAcceptsGolden(NftGoldenCases.Case c) throws Exception {
        assumeTrue(canRun(), "needs root, ip and nft");
        String ns = "tn" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        run(null, "ip", "netns", "add", ns).assertOk("ip netns add");
        try {
            List<NftTransaction> all = c.compileAll();
            for (int i = 0; i < all.size() - 1; i++) {
                run(all.get(i).text(), "ip", "netns", "exec", ns, "nft", "-f", "-").assertOk("earlier sync " + i);
            }
            String last = all.get(all.size() - 1).text();
            run(last, "ip", "netns", "exec", ns, "nft", "-c", "-f", "-").assertOk("nft -c");
            run(last, "ip", "netns", "exec", ns, "nft", "-f", "-").assertOk("nft -f");
            if (all.get(0).full()) {
                Result listed = run(null, "ip", "netns", "exec", ns, "nft", "list", "table", c.config().family()
                        == dev.turnout.model.IpFamily.IPv6 ? "ip6" : "ip", "kube-proxy");
                listed.assertOk("nft list table");
                assertThat(listed.output).contains("chain services");
            }
        } finally {
            run(null, "ip", "netns", "delete", ns);
        }
    }

    static boolean canRun() {
        try {
            return run(null, "id", "-u").output.trim().equals("0")
                    && run(null, "sh", "-c", "command -v ip && command -v nft").code == 0;
        } catch (Exception e) {
            return false;
        }
    }

    record Result(int code, String output) {
        void assertOk(String what) {
            assertThat(code).as("%s failed: %s", what, output).isZero();
        }
    }

    static Result run(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), out);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
