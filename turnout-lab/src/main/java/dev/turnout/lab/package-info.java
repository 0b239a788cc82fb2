/**
 * A cluster network made of Linux network namespaces, for tests that move real packets.
 *
 * <h2>Topology and addresses ({@link dev.turnout.lab.LabSpec#singleNode()})</h2>
 * <pre>
 *   &lt;prefix&gt;-underlay   bridge &lt;prefix&gt;br: the LAN, 192.168.77.0/24
 *   &lt;prefix&gt;-node&lt;i&gt;     eth0 192.168.77.(10+i)/24, 169.254.1.1/32 scope link on lo, ip_forward=1,
 *                        pod CIDR 10.244.i.0/24, routes to the other nodes' pod CIDRs,
 *                        default via 192.0.2.1 on "uplink", a veth into a dead end (a silent sink)
 *   &lt;prefix&gt;-client      eth0 192.168.77.100/24, 203.0.113.0/24 via node1 (External/LoadBalancer IPs)
 *   &lt;prefix&gt;-pod-&lt;name&gt;  eth0 10.244.i.k/32 (k from 2), default via 169.254.1.1 onlink;
 *                        node side veth &lt;prefix&gt;p&lt;n&gt; with a /32 route back
 * </pre>
 * The prefix is {@code tnt} plus five random base36 characters, so parallel runs never collide and
 * leftovers are recognisable ({@link dev.turnout.lab.LabNetwork#cleanupLeftovers(String)}). Nothing is
 * configured in the root namespace.
 *
 * <h2>Typical test</h2>
 * <pre>{@code
 * try (LabNetwork lab = LabNetwork.up(LabSpec.singleNode())) {
 *     List<Pod> pods = List.of(lab.addPod("web-1"), lab.addPod("web-2"), lab.addPod("web-3"));
 *     lab.startNetexec(pods);                         // HTTP 8080, UDP 8081; waits until HTTP answers
 *     List<String> names = lab.httpBodies(pods.get(0).namespace(), pods.get(1).ip(), 8080, "/hostname", 10);
 *     lab.routeToNode(lab.node(1).podCidr());         // let the outside client route to pod IPs
 *     List<String> fromOutside = lab.udpBodies(lab.clientNamespace(), pods.get(2).ip(), 8081, "hostname", 5);
 * }   // close(): processes killed by PID, namespaces (and with them all links) deleted
 * }</pre>
 */
package dev.turnout.lab;
