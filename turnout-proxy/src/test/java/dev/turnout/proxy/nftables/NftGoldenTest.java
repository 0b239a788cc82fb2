package dev.turnout.proxy.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.proxy.iptables.Golden;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole-transaction goldens (golden/nftables/NAME.nft); -Dgolden.update=true rewrites them. */
class NftGoldenTest {
    static List<NftGoldenCases.Case> cases() {
        return NftGoldenCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(NftGoldenCases.Case c) {
        Golden.assertMatches("nftables/" + c.name() + ".nft", c.compile().text());
    }

    /** Every goto/jump and @set names something the transaction (or an earlier one) creates. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referencesOnlyWhatExists(NftGoldenCases.Case c) {
        StringBuilder all = new StringBuilder();
        c.compileAll().forEach(t -> all.append(t.text()));
        String text = all.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:goto|jump) ([A-Za-z0-9_./-]+)").matcher(text);
        while (m.find()) {
            assertThat(text).as("chain %s is created", m.group(1)).contains("kube-proxy " + m.group(1));
        }
        java.util.regex.Matcher s = java.util.regex.Pattern.compile("@([A-Za-z0-9_./-]+)").matcher(text);
        while (s.find()) {
            assertThat(text).as("set %s is created", s.group(1))
                    .containsPattern("add (set|map) ip6? kube-proxy " + java.util.regex.Pattern.quote(s.group(1)) + " ");
        }
    }
}
