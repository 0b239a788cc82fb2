package dev.turnout.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole-ruleset goldens (golden/iptables/NAME.txt); -Dgolden.update=true rewrites them. */
class GoldenTest {
    static List<GoldenCases.Case> cases() {
        return GoldenCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(GoldenCases.Case c) {
        Golden.assertMatches("iptables/" + c.name() + ".txt", c.compile().restoreInput());
    }

    /** Every jump lands on a declared, non-empty chain or a built-in target; every chain is used. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isStructurallySound(GoldenCases.Case c) {
        String text = c.compile().restoreInput();
        if (c.full()) {
            assertThat(RuleChecks.problems(text)).isEmpty();
        }
        assertThat(text).startsWith("*filter\n").endsWith("COMMIT\n");
    }

    /** The rule counts are upstream's metrics: on a full sync, the -A lines of each table. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countsRulesAsUpstreamMetrics(GoldenCases.Case c) {
        CompiledRules r = c.compile();
        assertThat(r.filterRules()).isEqualTo(RuleChecks.count(r.restoreInput(), "filter"));
        if (c.full()) {
            assertThat(r.natRules()).isEqualTo(RuleChecks.count(r.restoreInput(), "nat"));
        }
    }
}
