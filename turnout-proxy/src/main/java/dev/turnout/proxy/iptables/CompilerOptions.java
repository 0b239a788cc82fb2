package dev.turnout.proxy.iptables;

/**
 * Facts of the host and feature gates that upstream reads outside of {@code syncProxyRules}.
 *
 * @param randomFully iptables supports {@code MASQUERADE --random-fully} (upstream probes
 *     {@code HasRandomFully()}; true for iptables 1.6.2 and later)
 * @param conntrackTcpLiberal the sysctl {@code net/netfilter/nf_conntrack_tcp_be_liberal} is
 *     non-zero, in which case upstream writes no conntrack INVALID drop rule
 * @param masqueradeAll {@code --masquerade-all}
 * @param preferSameTrafficDistribution the {@code PreferSameTrafficDistribution} feature gate
 *     (beta, on, in 1.34; alpha, off, in 1.33): node hints are honoured
 * @param masqueradeMarkText null to derive the mark from {@code --masquerade-bit} as upstream
 *     does; a fixed text (e.g. {@code 0x4000}, what upstream's unit tests hard-code) otherwise
 */
public record CompilerOptions(
        boolean randomFully,
        boolean conntrackTcpLiberal,
        boolean masqueradeAll,
        boolean preferSameTrafficDistribution,
        String masqueradeMarkText) {

    /** A current Linux host with kube-proxy 1.34 defaults. */
    public static final CompilerOptions DEFAULTS = new CompilerOptions(true, false, false, true, null);

    /** As upstream's {@code NewFakeProxier}: no --random-fully, mark text {@code 0x4000}. */
    public static final CompilerOptions UPSTREAM_TEST = new CompilerOptions(false, false, false, true, "0x4000");
}
