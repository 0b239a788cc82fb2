package dev.turnout.proxy.iptables;

import dev.turnout.model.ServicePortName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Stands in for the rule compiler: records each input and writes a small but well-formed ruleset
 * (our top-level chains, one KUBE-SVC- chain per service port, and stale-chain deletion) so the
 * fake iptables can hold it and cleanup has something to remove.
 */
final class FakeCompiler implements Function<SyncInput, CompiledRules> {
    final List<SyncInput> inputs = new ArrayList<>();

    SyncInput last() {
        return inputs.get(inputs.size() - 1);
    }

    static String chainOf(ServicePortName name) {
        return "KUBE-SVC-" + Integer.toHexString(name.toString().hashCode()).toUpperCase();
    }

    @Override
    public CompiledRules apply(SyncInput in) {
        inputs.add(in);
        StringBuilder filter = new StringBuilder("*filter\n");
        for (String c : List.of("KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS",
                "KUBE-PROXY-FIREWALL", "KUBE-FIREWALL")) {
            filter.append(':').append(c).append(" - [0:0]\n");
        }
        filter.append("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n");
        StringBuilder natChains = new StringBuilder("*nat\n");
        StringBuilder natRules = new StringBuilder();
        for (String c : List.of("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ")) {
            natChains.append(':').append(c).append(" - [0:0]\n");
        }
        Set<String> active = new LinkedHashSet<>();
        in.state().services().forEach((name, port) -> {
            String chain = chainOf(name);
            active.add(chain);
            natChains.append(':').append(chain).append(" - [0:0]\n");
            natRules.append("-A KUBE-SERVICES -d ").append(port.clusterIp()).append("/32 -j ").append(chain).append('\n');
        });
        for (String existing : in.existingNatChains()) {
            if (existing.startsWith("KUBE-SVC-") && !active.contains(existing)) {
                natChains.append(':').append(existing).append(" - [0:0]\n");
                natRules.append("-X ").append(existing).append('\n');
            }
        }
        String text = filter + natChains.toString() + natRules + "COMMIT\n";
        return new CompiledRules(text, active, in.state().services().size(), 1);
    }
}
