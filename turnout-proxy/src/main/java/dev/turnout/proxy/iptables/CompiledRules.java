package dev.turnout.proxy.iptables;

import java.util.Set;

/**
 * The compiler's output for one sync.
 *
 * @param restoreInput the text to feed to {@code iptables-restore --noflush}
 * @param activeNatChains every nat chain of ours the desired state has (written or not this sync)
 * @param natRules the number of nat rules in the desired state (kube-proxy's
 *     {@code kubeproxy_sync_proxy_rules_iptables_total{table="nat"}})
 * @param filterRules likewise for the filter table
 */
public record CompiledRules(String restoreInput, Set<String> activeNatChains, int natRules, int filterRules) {
}
