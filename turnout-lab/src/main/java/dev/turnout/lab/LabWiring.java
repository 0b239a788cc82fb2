package dev.turnout.lab;

import dev.turnout.lab.netns.Netns;
import dev.turnout.model.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * The iproute2 commands that wire a lab. Every link is created with both ends already inside lab
 * namespaces ({@code ip -n A link add X type veth peer name Y netns B}), so nothing ever appears in the
 * root namespace, and deleting a namespace takes its links with it. Namespaces themselves are created
 * by the caller, which tracks them for cleanup.
 */
public final class LabWiring {

    /** The pods' default gateway: answered by the node because it sits on the node's lo (Calico's trick). */
    public static final String POD_GATEWAY = "169.254.1.1";
    /** The node's default gateway: a made-up neighbour on the node's own dead-end uplink. */
    public static final String UPLINK_GATEWAY = "192.0.2.1";
    private static final String UPLINK_GATEWAY_MAC = "02:00:00:00:00:01";

    private final Netns netns;
    private final String prefix;

    public LabWiring(Netns netns, String prefix) {
        this.netns = netns;
        this.prefix = prefix;
    }

    /** A bridge namespace standing in for the LAN switch between nodes and the outside client. */
    public void underlay(String underlayNs) {
        ip("-n", underlayNs, "link", "set", "lo", "up");
        ip("-n", underlayNs, "link", "add", bridge(), "type", "bridge");
        ip("-n", underlayNs, "link", "set", bridge(), "up");
    }

    public void node(String underlayNs, LabNode node, Cidr underlay) {
        String ns = node.namespace();
        ip("-n", ns, "link", "set", "lo", "up");
        // link scope: never picked as a source address, so MASQUERADE (which takes the first
        // universe-scope address) shows the node IP, not the gateway, as on a real node
        ip("-n", ns, "addr", "add", POD_GATEWAY + "/32", "dev", "lo", "scope", "link");
        netns.execOrThrow(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        attachToUnderlay(underlayNs, LabNames.iface(prefix, "n" + node.index()), ns, node.ip(), underlay);
        uplink(ns);
    }

    /**
     * A default route into a dead end, as a real node has a default route: packets for addresses
     * no one here owns (a cluster IP that was not DNATed, a load balancer IP a firewall rule
     * refuses) pass routing and meet the filter rules in FORWARD (REJECT, DROP) instead of failing
     * routing with an ICMP net-unreachable first. Whatever FORWARD lets through leaves on a veth
     * whose peer, also in the node namespace, drops it: it is addressed to a MAC no one has.
     */
    private void uplink(String ns) {
        ip("-n", ns, "link", "add", "uplink", "type", "veth", "peer", "name", "uplink-sink");
        ip("-n", ns, "link", "set", "uplink", "up");
        ip("-n", ns, "link", "set", "uplink-sink", "up");
        ip("-n", ns, "neigh", "add", UPLINK_GATEWAY, "lladdr", UPLINK_GATEWAY_MAC, "dev", "uplink", "nud", "permanent");
        ip("-n", ns, "route", "add", "default", "via", UPLINK_GATEWAY, "dev", "uplink", "onlink");
    }

    /** On each node, a route to every other node's pod CIDR via that node's underlay IP (flat L2, no overlay). */
    public void podRoutesBetweenNodes(List<LabNode> nodes) {
        for (LabNode from : nodes) {
            for (LabNode to : nodes) {
                if (from != to) {
                    ip("-n", from.namespace(), "route", "add", to.podCidr().toString(), "via", to.ip());
                }
            }
        }
    }

    public void client(String underlayNs, String clientNs, String clientIp, Cidr underlay) {
        ip("-n", clientNs, "link", "set", "lo", "up");
        attachToUnderlay(underlayNs, LabNames.iface(prefix, "c"), clientNs, clientIp, underlay);
    }

    public void routeVia(String ns, Cidr cidr, String gatewayIp) {
        ip("-n", ns, "route", "replace", cidr.toString(), "via", gatewayIp);
    }

    /** eth0 in the pod with a /32 and a default route via the node's gateway address; a /32 back on the node. */
    public void pod(Pod pod, String nodeSideVeth) {
        String podNs = pod.namespace();
        String nodeNs = pod.node().namespace();
        ip("-n", podNs, "link", "set", "lo", "up");
        ip("-n", nodeNs, "link", "add", nodeSideVeth, "type", "veth", "peer", "name", "eth0", "netns", podNs);
        ip("-n", nodeNs, "link", "set", nodeSideVeth, "up");
        ip("-n", podNs, "addr", "add", pod.ip() + "/32", "dev", "eth0");
        ip("-n", podNs, "link", "set", "eth0", "up");
        ip("-n", podNs, "route", "add", "default", "via", POD_GATEWAY, "dev", "eth0", "onlink");
        // src: node-originated traffic to pods comes from the node IP, not the gateway address on lo
        ip("-n", nodeNs, "route", "add", pod.ip() + "/32", "dev", nodeSideVeth, "scope", "link", "src", pod.node().ip());
    }

    private void attachToUnderlay(String underlayNs, String port, String ns, String ip, Cidr underlay) {
        ip("-n", underlayNs, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("-n", underlayNs, "link", "set", port, "master", bridge(), "up");
        ip("-n", ns, "addr", "add", ip + "/" + underlay.prefixLength(), "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
    }

    private String bridge() {
        return LabNames.iface(prefix, "br");
    }

    private void ip(String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add("ip");
        argv.addAll(List.of(args));
        netns.runner().run(argv, Netns.ADMIN_TIMEOUT).orThrow();
    }
}
