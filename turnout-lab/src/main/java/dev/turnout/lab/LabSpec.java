package dev.turnout.lab;

import dev.turnout.model.Cidr;
import java.util.List;

/**
 * The shape and address plan of a lab. Defaults: underlay 192.168.77.0/24 (node i is .10+i, the client
 * is .100), node i's pod CIDR 10.244.i.0/24 (pods from .2 up), and 203.0.113.0/24 (TEST-NET-3, for
 * LoadBalancer and External IPs) routed from the client to node 1. All of it exists only inside the
 * lab's own namespaces.
 */
public record LabSpec(String prefix, int nodeCount, Cidr underlay, String podCidrTemplate, List<Cidr> clientRoutesToNode1) {

    public LabSpec {
        LabNames.requireValidPrefix(prefix);
        if (nodeCount < 1 || nodeCount > 80) {
            throw new IllegalArgumentException("nodeCount must be 1..80, got " + nodeCount);
        }
        if (!podCidrTemplate.contains("%d")) {
            throw new IllegalArgumentException("podCidrTemplate needs %d for the node index: " + podCidrTemplate);
        }
        clientRoutesToNode1 = List.copyOf(clientRoutesToNode1);
    }

    public static LabSpec singleNode() {
        return new LabSpec(LabNames.randomPrefix(), 1, Cidr.parse("192.168.77.0/24"), "10.244.%d.0/24",
                List.of(Cidr.parse("203.0.113.0/24")));
    }

    public LabSpec withNodes(int count) {
        return new LabSpec(prefix, count, underlay, podCidrTemplate, clientRoutesToNode1);
    }

    public LabSpec withPrefix(String newPrefix) {
        return new LabSpec(newPrefix, nodeCount, underlay, podCidrTemplate, clientRoutesToNode1);
    }

    /** Node indexes start at 1, like the node names. */
    public String nodeIp(int index) {
        return underlay.addressAt(10 + index);
    }

    public Cidr podCidr(int index) {
        return Cidr.parse(String.format(podCidrTemplate, index));
    }

    public String clientIp() {
        return underlay.addressAt(100);
    }
}
