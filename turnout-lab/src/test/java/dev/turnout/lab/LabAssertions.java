package dev.turnout.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.lab.netns.HostCommandRunner;
import dev.turnout.lab.netns.Netns;
import java.util.List;

/** Checks that nothing carrying a lab prefix is left on the machine. */
final class LabAssertions {

    private LabAssertions() {
    }

    static void assertNothingLeft(String prefix, List<Long> pids) {
        Netns netns = new Netns(new HostCommandRunner());
        assertThat(netns.list()).noneMatch(ns -> ns.startsWith(prefix));
        String rootLinks = new HostCommandRunner()
                .run(List.of("ip", "-o", "link", "show"), Netns.ADMIN_TIMEOUT).orThrow().stdout();
        assertThat(LeftoverCleaner.rootLinkNames(rootLinks)).noneMatch(l -> l.startsWith(prefix));
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid %d", pid).isNotEqualTo(java.util.Optional.of(true));
        }
    }
}
