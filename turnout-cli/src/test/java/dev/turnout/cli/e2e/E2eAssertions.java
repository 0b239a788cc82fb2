package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.lab.stats.ChiSquare;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Counting and judging the answers of a batch of requests. */
final class E2eAssertions {
    private E2eAssertions() {
    }

    /** How often each body (pod name, or "ERR: ...") came back, sorted by body. */
    static Map<String, Long> counts(List<String> bodies) {
        return bodies.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    /** Only the given pods answered, and the split does not reject uniform at the 0.001 level. */
    static Map<String, Long> assertSpreadUniformly(List<String> bodies, String... pods) {
        Map<String, Long> counts = counts(bodies);
        assertThat(counts).as("answers").containsOnlyKeys(pods);
        ChiSquare chi = ChiSquare.uniform(counts.values());
        assertThat(chi.looksUniform(0.001)).as("%s for %s", chi, counts).isTrue();
        System.out.println("spread " + counts + ": " + chi);
        return counts;
    }

    /** The host part of netexec's "ip:port" client address. */
    static String host(String clientIpBody) {
        return clientIpBody.substring(0, clientIpBody.lastIndexOf(':')).replace("[", "").replace("]", "");
    }
}
