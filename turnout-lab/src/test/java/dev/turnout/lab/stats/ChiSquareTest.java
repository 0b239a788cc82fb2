package dev.turnout.lab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChiSquareTest {
    @ParameterizedTest(name = "chi-square {0} with df {1} has upper tail {2}")
    @CsvSource({
        // reference values from statistical tables
        "5.991, 2, 0.05",
        "9.210, 2, 0.01",
        "3.841, 1, 0.05",
        "11.345, 3, 0.01",
        "18.307, 10, 0.05",
        "0.0, 4, 1.0",
    })
    void upperTailMatchesTables(double stat, int df, double p) {
        assertThat(ChiSquare.upperTail(df / 2.0, stat / 2.0)).isCloseTo(p, within(5e-4));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an even split is uniform | 100,100,100 | true",
        "a mild wobble is uniform | 90,110,100 | true",
        "one idle backend is not uniform | 150,150,0 | false",
        "a 2:1 skew over 300 is not uniform | 150,75,75 | false",
    })
    void verdict(String name, String counts, boolean uniform) {
        List<Long> observed = java.util.Arrays.stream(counts.split(",")).map(Long::valueOf).toList();
        assertThat(ChiSquare.uniform(observed).looksUniform(0.01)).isEqualTo(uniform);
    }
}
