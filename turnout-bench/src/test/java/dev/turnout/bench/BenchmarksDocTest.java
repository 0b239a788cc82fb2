package dev.turnout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksDocTest {
    @TempDir
    Path dir;

    @Test
    void eachSectionIsRewrittenInPlaceAndOthersAreKept() throws Exception {
        BenchmarksDoc doc = new BenchmarksDoc(dir.resolve("docs/benchmarks.md"));
        doc.writeSection("a", "## A\nfirst");
        doc.writeSection("b", "## B\nsecond");
        doc.writeSection("a", "## A\nthird");

        String text = Files.readString(dir.resolve("docs/benchmarks.md"));
        assertThat(text).startsWith("# Benchmarks").contains("## A\nthird", "## B\nsecond").doesNotContain("first");
        assertThat(text.indexOf("## A")).isLessThan(text.indexOf("## B"));
    }

    @Test
    void syntheticClusterHasTheRequestedSizeAndOneEndpointChanges() {
        var state = SyntheticCluster.of(300, 10);
        assertThat(state.services()).hasSize(300);
        assertThat(state.endpoints().values()).allSatisfy(eps -> assertThat(eps).hasSize(10));
        assertThat(state.services().values().stream().filter(p -> p.nodePort() != 0)).hasSize(30);
        var changed = SyntheticCluster.withOneEndpointChanged(state, 7);
        assertThat(changed.endpointsOf(SyntheticCluster.name(7))).isNotEqualTo(state.endpointsOf(SyntheticCluster.name(7)));
        assertThat(changed.endpointsOf(SyntheticCluster.name(8))).isEqualTo(state.endpointsOf(SyntheticCluster.name(8)));
    }
}
