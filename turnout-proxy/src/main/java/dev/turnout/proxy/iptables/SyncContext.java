package dev.turnout.proxy.iptables;

/**
 * The buffers and derived settings of one sync, shared by the compiler's stages; upstream keeps
 * the same state in Proxier fields and syncProxyRules locals.
 */
final class SyncContext {
    final RuleBuffer filterChains = RuleBuffer.create(256);
    final RuleBuffer filterRules;
    final RuleBuffer natChains;
    final RuleBuffer natRules;
    /** Where the chains of unchanged Services go on a partial sync: counted, not written. */
    final RuleBuffer skippedNatChains = RuleBuffer.discarding();
    final RuleBuffer skippedNatRules = RuleBuffer.discarding();
    final ActiveChains activeNatChains = new ActiveChains();

    final boolean ipv6;
    final MasqueradeMark mark;
    final LocalTrafficDetector localDetector;
    final NodePortAddresses nodePortAddresses;
    /** --iptables-localhost-nodeports after upstream's adjustments (IPv4 only, loopback allowed). */
    final boolean localhostNodePorts;
    final boolean nfacct;
    final boolean largeClusterMode;
    final String nodeName;
    final String zone;
    /** The primary node IP of this family, or null: upstream's {@code proxier.nodeIP}. */
    final String nodeIp;

    SyncContext(int expectedServices, int totalEndpoints, boolean ipv6, MasqueradeMark mark,
            LocalTrafficDetector localDetector, NodePortAddresses nodePortAddresses, boolean localhostNodePorts,
            boolean nfacct, boolean largeClusterMode, String nodeName, String zone, String nodeIp) {
        // the per-Service text arrives pre-rendered (ServiceFragment); these hold the rest
        this.filterRules = RuleBuffer.create(1024);
        this.natChains = RuleBuffer.create(1024);
        this.natRules = RuleBuffer.create(2048);
        this.ipv6 = ipv6;
        this.mark = mark;
        this.localDetector = localDetector;
        this.nodePortAddresses = nodePortAddresses;
        this.localhostNodePorts = localhostNodePorts;
        this.nfacct = nfacct;
        this.largeClusterMode = largeClusterMode;
        this.nodeName = nodeName;
        this.zone = zone;
        this.nodeIp = nodeIp;
    }
}
