package dev.turnout.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnout.lab.netns.CommandFailedException;
import dev.turnout.lab.netns.HostCommandRunner;
import dev.turnout.lab.netns.Netns;
import dev.turnout.lab.netns.NetnsProcess;
import dev.turnout.lab.netns.RecordingCommandRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cleanup when things go wrong: a create() that fails halfway, and a run that never called close(). */
class LabCleanupTest {

    @Test
    void closeAfterCreateFailedHalfwayRemovesEverything() {
        LabSpec spec = LabSpec.singleNode();
        String clientPort = spec.prefix() + "c";
        // the kernel "refuses" the client's veth: underlay, node and client namespaces already exist by then
        RecordingCommandRunner runner = new RecordingCommandRunner(new HostCommandRunner())
                .failWhen(argv -> argv.contains(clientPort) && argv.contains("add"));
        LabNetwork lab = new LabNetwork(spec, runner);
        try {
            assertThatThrownBy(lab::create).isInstanceOf(CommandFailedException.class).hasMessageContaining(clientPort);
            assertThat(new Netns(new HostCommandRunner()).list())
                    .contains(spec.prefix() + "-underlay", spec.prefix() + "-node1", spec.prefix() + "-client");
        } finally {
            lab.close();
        }
        lab.close(); // idempotent
        LabAssertions.assertNothingLeft(spec.prefix(), List.of());
    }

    @Test
    void upClosesWhatItBuiltWhenCreateFailsAndSparesWhatWasNotItsOwn() {
        LabSpec spec = LabSpec.singleNode().withNodes(2);
        // someone else's namespace where the lab wants its client: creation fails after both nodes exist
        Netns netns = new Netns(new HostCommandRunner());
        String foreign = spec.prefix() + "-client";
        netns.create(foreign);
        try {
            assertThatThrownBy(() -> LabNetwork.up(spec)).hasMessageContaining("already exists");
            assertThat(netns.list()).filteredOn(ns -> ns.startsWith(spec.prefix())).containsExactly(foreign);
        } finally {
            netns.delete(foreign);
        }
    }

    @Test
    void cleanupLeftoversRemovesACrashedRunByItsPrefix() {
        LabSpec spec = LabSpec.singleNode();
        LabNetwork crashed = LabNetwork.up(spec);
        try {
            Pod pod = crashed.addPod("orphan");
            NetnsProcess sleeper = crashed.startInPod(pod, List.of("sleep", "60"));
            // simulate a crash: cleanup runs from outside while the lab object never learns about it
            List<String> removed = LabNetwork.cleanupLeftovers(spec.prefix());
            assertThat(removed).contains(spec.prefix() + "-node1", spec.prefix() + "-pod-orphan", spec.prefix() + "-client");
            LabAssertions.assertNothingLeft(spec.prefix(), List.of(sleeper.pid()));
        } finally {
            crashed.close(); // finds nothing left (or cleans up after a failed assertion)
        }
    }
}
