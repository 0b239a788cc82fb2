package dev.turnout.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnout.lab.netns.Netns;
import dev.turnout.lab.netns.RecordingCommandRunner;
import dev.turnout.model.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact commands, without a kernel: links are born inside namespaces, never in the root one. */
class LabWiringTest {

    private final RecordingCommandRunner runner = new RecordingCommandRunner();
    private final LabWiring wiring = new LabWiring(new Netns(runner), "tntabcde");
    private final LabNode node = new LabNode("node1", 1, "tntabcde-node1", "192.168.77.11", Cidr.parse("10.244.1.0/24"));

    @Test
    void podIsPointToPointWithGatewayOnTheNode() {
        wiring.pod(new Pod("web", "10.244.1.2", "tntabcde-pod-web", node), "tntabcdep1");
        assertThat(runner.lines()).containsExactly(
                "ip -n tntabcde-pod-web link set lo up",
                "ip -n tntabcde-node1 link add tntabcdep1 type veth peer name eth0 netns tntabcde-pod-web",
                "ip -n tntabcde-node1 link set tntabcdep1 up",
                "ip -n tntabcde-pod-web addr add 10.244.1.2/32 dev eth0",
                "ip -n tntabcde-pod-web link set eth0 up",
                "ip -n tntabcde-pod-web route add default via 169.254.1.1 dev eth0 onlink",
                "ip -n tntabcde-node1 route add 10.244.1.2/32 dev tntabcdep1 scope link src 192.168.77.11");
    }

    @Test
    void nodeForwardsAndOwnsTheGatewayAddress() {
        wiring.node("tntabcde-underlay", node, Cidr.parse("192.168.77.0/24"));
        assertThat(runner.lines()).contains(
                "ip -n tntabcde-node1 addr add 169.254.1.1/32 dev lo scope link",
                "ip netns exec tntabcde-node1 sysctl -q -w net.ipv4.ip_forward=1",
                "ip -n tntabcde-underlay link add tntabcden1 type veth peer name eth0 netns tntabcde-node1",
                "ip -n tntabcde-node1 addr add 192.168.77.11/24 dev eth0",
                "ip -n tntabcde-node1 link add uplink type veth peer name uplink-sink",
                "ip -n tntabcde-node1 route add default via 192.0.2.1 dev uplink onlink");
        // every command names a lab namespace: nothing is configured in the root namespace
        assertThat(runner.commands()).allSatisfy(argv -> assertThat(String.join(" ", argv)).containsPattern(
                "^ip (-n|netns exec) tntabcde-"));
    }

    @Test
    void nodesRouteToEachOthersPodCidrs() {
        LabNode node2 = new LabNode("node2", 2, "tntabcde-node2", "192.168.77.12", Cidr.parse("10.244.2.0/24"));
        wiring.podRoutesBetweenNodes(List.of(node, node2));
        assertThat(runner.lines()).containsExactly(
                "ip -n tntabcde-node1 route add 10.244.2.0/24 via 192.168.77.12",
                "ip -n tntabcde-node2 route add 10.244.1.0/24 via 192.168.77.11");
    }

    @Test
    void specComputesTheAddressPlan() {
        LabSpec spec = LabSpec.singleNode().withNodes(2);
        assertThat(spec.nodeIp(1)).isEqualTo("192.168.77.11");
        assertThat(spec.nodeIp(2)).isEqualTo("192.168.77.12");
        assertThat(spec.clientIp()).isEqualTo("192.168.77.100");
        assertThat(spec.podCidr(2)).hasToString("10.244.2.0/24");
        assertThat(spec.prefix()).matches("tnt[0-9a-z]{5}");
    }

    @Test
    void namesFollowTheConvention() {
        assertThat(LabNames.isLabName("tntabcde-node1")).isTrue();
        assertThat(LabNames.isLabName("tntabcdep12")).isTrue();
        assertThat(LabNames.isLabName("tnt-foo")).isFalse();
        assertThat(LabNames.isLabName("eth0")).isFalse();
        assertThatThrownBy(() -> LabNames.iface("tntabcde", "toolongname")).hasMessageContaining("15");
        assertThatThrownBy(() -> new LeftoverCleaner(new Netns(runner)).clean("cali")).hasMessageContaining("refusing");
        assertThatThrownBy(() -> LabNames.requireDnsLabel("Pod_A")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void podCommandSetsHostnameAndExecsTheWorkload() {
        assertThat(PodCommand.withHostname("web", List.of("sleep", "1"))).containsExactly(
                "unshare", "--uts", "sh", "-c", "hostname \"$1\" && shift && exec \"$@\"", "sh", "web", "sleep", "1");
    }
}
