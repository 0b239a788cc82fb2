package dev.turnout.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.lab.netns.NetnsProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two nodes on the underlay: pod CIDRs are routed node to node, and node processes get the node's hostname. */
class LabMultiNodeE2ETest {

    @Test
    void podsOnDifferentNodesReachEachOther() {
        LabSpec spec = LabSpec.singleNode().withNodes(2);
        List<Long> pids;
        try (LabNetwork lab = LabNetwork.up(spec)) {
            LabNode node2 = lab.node(2);
            Pod web1 = lab.addPod("web-1");
            Pod web2 = lab.addPod("web-2");
            Pod remote = lab.addPod("remote", node2);
            assertThat(remote.ip()).isEqualTo("10.244.2.2");

            NetnsProcess server = lab.startNetexec(remote);
            NetnsProcess onNode = lab.startOnNode(node2, List.of("sleep", "60"));
            pids = List.of(server.pid(), onNode.pid());

            assertThat(lab.httpBodies(web1.namespace(), remote.ip(), 8080, "/hostname", 2))
                    .containsExactly("remote", "remote");
            // no NAT between nodes: the remote pod sees the calling pod's own IP
            assertThat(lab.httpBodies(web2.namespace(), remote.ip(), 8080, "/clientip", 1))
                    .singleElement().asString().startsWith(web2.ip() + ":");

            lab.routeToNode(node2.podCidr(), node2);
            assertThat(lab.udpBodies(lab.clientNamespace(), remote.ip(), 8081, "hostname", 1)).containsExactly("remote");

            assertThat(lab.exec(node2.namespace(), "nsenter", "-t", Long.toString(onNode.pid()), "-u", "hostname")
                    .orThrow().stdout().strip()).isEqualTo("node2");

            // SIGTERM by PID: netexec shuts down through its hook instead of needing SIGKILL
            server.stop();
            assertThat(server.isAlive()).isFalse();
            assertThat(server.output()).contains("Shutting down");
        }
        LabAssertions.assertNothingLeft(spec.prefix(), pids);
    }
}
