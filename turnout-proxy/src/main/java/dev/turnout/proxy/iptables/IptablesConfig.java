package dev.turnout.proxy.iptables;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import java.util.List;

/**
 * The options of the iptables proxier, named after kube-proxy's flags.
 *
 * @param nodeName {@code --hostname-override}: decides which endpoints are local
 * @param nodeIps {@code --node-ip}: the node's own addresses (NodePorts, health checks)
 * @param clusterCidrs {@code --cluster-cidr}: traffic from here is local, else it is masqueraded
 * @param masqueradeBit {@code --masquerade-bit}, 0..31, default 14
 * @param nodePortAddresses {@code --nodeport-addresses}: empty means all local addresses
 * @param localhostNodePorts {@code --iptables-localhost-nodeports}, default true
 * @param nfacct write nfacct counters where upstream does (needs kernel nfacct support)
 */
public record IptablesConfig(
        IpFamily family,
        String nodeName,
        List<String> nodeIps,
        List<Cidr> clusterCidrs,
        int masqueradeBit,
        List<Cidr> nodePortAddresses,
        boolean localhostNodePorts,
        boolean nfacct) {

    public static final int DEFAULT_MASQUERADE_BIT = 14;

    public IptablesConfig {
        nodeIps = List.copyOf(nodeIps);
        clusterCidrs = List.copyOf(clusterCidrs);
        nodePortAddresses = List.copyOf(nodePortAddresses);
        if (masqueradeBit < 0 || masqueradeBit > 31) {
            throw new IllegalArgumentException("--masquerade-bit: " + masqueradeBit + " is out of range; allowed: 0..31");
        }
    }

    /** kube-proxy's defaults for a node of that name. */
    public static IptablesConfig defaults(String nodeName) {
        return new IptablesConfig(IpFamily.IPv4, nodeName, List.of(), List.of(), DEFAULT_MASQUERADE_BIT,
                List.of(), true, false);
    }
}
