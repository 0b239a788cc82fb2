package dev.turnout.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.lab.netns.NetnsProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One node, two pods and the outside client, with netexec in both pods; real traffic through real namespaces. */
class LabNetworkE2ETest {

    @Test
    void podsReachEachOtherAndTheClientReachesPodsThroughTheNode() throws Exception {
        LabSpec spec = LabSpec.singleNode();
        List<Long> pids;
        try (LabNetwork lab = LabNetwork.up(spec)) {
            Pod a = lab.addPod("pod-a");
            Pod b = lab.addPod("pod-b");
            assertThat(a.ip()).isEqualTo("10.244.1.2");
            assertThat(b.ip()).isEqualTo("10.244.1.3");

            NetnsProcess serverA = lab.startNetexec(a);
            NetnsProcess serverB = lab.startNetexec(b);
            pids = List.of(serverA.pid(), serverB.pid());
            // the PID we hold is the JVM itself, not ip/unshare/sh in front of it
            assertThat(Files.readString(Path.of("/proc/" + serverB.pid() + "/cmdline"))).contains(
                    "dev.turnout.lab.netexec.Netexec");

            assertThat(lab.httpBodies(a.namespace(), b.ip(), 8080, "/hostname", 3))
                    .containsExactly("pod-b", "pod-b", "pod-b");
            assertThat(lab.httpBodies(a.namespace(), b.ip(), 8080, "/clientip", 1))
                    .singleElement().asString().startsWith(a.ip() + ":");
            assertThat(lab.udpBodies(a.namespace(), b.ip(), 8081, "hostname", 2)).containsExactly("pod-b", "pod-b");

            // outside client -> pod IP: plain routing through the node, the pod sees the client's own IP
            lab.routeToNode(a.node().podCidr());
            assertThat(lab.httpBodies(lab.clientNamespace(), a.ip(), 8080, "/hostname", 1)).containsExactly("pod-a");
            assertThat(lab.httpBodies(lab.clientNamespace(), a.ip(), 8080, "/clientip", 1))
                    .singleElement().asString().startsWith(lab.clientIp() + ":");
            assertThat(lab.udpBodies(lab.clientNamespace(), b.ip(), 8081, "clientip", 1))
                    .singleElement().asString().startsWith(lab.clientIp() + ":");

            // the node itself reaches its pods from its node IP
            assertThat(lab.httpBodies(lab.nodeNamespace(), a.ip(), 8080, "/clientip", 1))
                    .singleElement().asString().startsWith(lab.node(1).ip() + ":");
        }
        LabAssertions.assertNothingLeft(spec.prefix(), pids);
    }

    @Test
    void threePodsServeTheirNamesToPodsAndToTheOutsideClient() {
        LabSpec spec = LabSpec.singleNode();
        try (LabNetwork lab = LabNetwork.up(spec)) {
            List<Pod> pods = List.of(lab.addPod("web-1"), lab.addPod("web-2"), lab.addPod("web-3"));
            lab.startNetexec(pods);
            assertThat(lab.httpBodies(pods.get(0).namespace(), pods.get(1).ip(), 8080, "/hostname", 10))
                    .hasSize(10).containsOnly("web-2");
            lab.routeToNode(lab.node(1).podCidr());
            for (Pod pod : pods) {
                assertThat(lab.udpBodies(lab.clientNamespace(), pod.ip(), 8081, "hostname", 1)).containsExactly(pod.name());
            }
        }
        LabAssertions.assertNothingLeft(spec.prefix(), Collections.emptyList());
    }

    @Test
    void removedPodIsGoneAndUnreachable() {
        LabSpec spec = LabSpec.singleNode();
        try (LabNetwork lab = LabNetwork.up(spec)) {
            Pod a = lab.addPod("a");
            Pod b = lab.addPod("b");
            NetnsProcess server = lab.startNetexec(b);
            lab.removePod(b);
            assertThat(server.isAlive()).isFalse();
            assertThat(lab.namespaces()).doesNotContain(b.namespace());
            assertThat(lab.traffic().http(a.namespace(), b.ip(), 8080, "/hostname", 1))
                    .singleElement().satisfies(r -> assertThat(r.ok()).isFalse());
        }
        LabAssertions.assertNothingLeft(spec.prefix(), Collections.emptyList());
    }
}
