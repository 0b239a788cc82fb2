package dev.turnout.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnout.model.IpFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every golden to the real iptables-restore (--test, then for real with --noflush) inside
 * a network namespace this test creates and always deletes: nothing touches the root namespace.
 * Skipped when not root or when iptables-restore / ip are missing.
 */
class KernelAcceptanceTest {
    private static final Map<String, GoldenCases.Case> BY_NAME =
            GoldenCases.all().stream().collect(Collectors.toMap(GoldenCases.Case::name, c -> c));

    static List<GoldenCases.Case> cases() {
        return GoldenCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void iptablesRestoreAcceptsGolden(GoldenCases.Case c) throws Exception {
        assumeTrue(canRun(), "needs root, ip and iptables-restore");
        String ns = "tc" + HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(3));
        String tool = c.config().family() == IpFamily.IPv6 ? "ip6tables-restore" : "iptables-restore";
        run(null, "ip", "netns", "add", ns).assertOk("ip netns add");
        try {
            if (c.setup() != null) {
                // a partial sync assumes the previous sync's chains are in the kernel
                run(BY_NAME.get(c.setup()).compile().restoreInput(), "ip", "netns", "exec", ns, tool, "--noflush")
                        .assertOk("setup " + c.setup());
            }
            String rules = c.compile().restoreInput();
            Result test = run(rules, "ip", "netns", "exec", ns, tool, "--test", "--noflush");
            if (test.code != 0 && c.nfacct() && test.output.contains("nfacct")) {
                abort("kernel rejects the nfacct match (xt_nfacct or the nfacct objects are missing): " + test.output);
            }
            test.assertOk(tool + " --test");
            Result real = run(rules, "ip", "netns", "exec", ns, tool, "--noflush");
            if (real.code != 0 && c.nfacct() && failingLine(rules, real.output).contains("-m nfacct")) {
                // --test accepted the ruleset; loading it needs the nfacct objects, which upstream
                // creates over nfnetlink before syncing and which this namespace does not have
                abort("rules loaded only up to a missing nfacct object (--test passed): " + real.output.trim());
            }
            real.assertOk(tool + " --noflush");
        } finally {
            run(null, "ip", "netns", "delete", ns);
        }
    }

    /** The input line that iptables-restore reports in "line N: ...", or "". */
    private static String failingLine(String rules, String output) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+):").matcher(output);
        if (!m.find()) {
            return "";
        }
        String[] lines = rules.split("\n");
        int n = Integer.parseInt(m.group(1));
        return n >= 1 && n <= lines.length ? lines[n - 1] : "";
    }

    private static boolean canRun() {
        try {
            return run(null, "id", "-u").output.trim().equals("0")
                    && run(null, "sh", "-c", "command -v ip && command -v iptables-restore").code == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private record Result(int code, String output) {
        void assertOk(String what) {
            assertThat(code).as("%s failed: %s", what, output).isZero();
        }
    }

    private static Result run(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
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
                p.destroyForcibly(); // only the process we started
            }
        }
    }
}
