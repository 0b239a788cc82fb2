package dev.turnout.proxy.iptables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.proxy.iptables.ChainNameCache.ServiceChains;
import java.util.List;
import java.util.Objects;

/**
 * The rendered rules of one Service port, kept between syncs: the text {@link ServiceRuleWriter}
 * writes depends only on the Service port, its endpoints and a few settings of the sync (whether
 * per-endpoint comments are dropped, the node's zone), so an unchanged Service is not rendered
 * again. The compiler checks {@link #renders} before reusing one.
 */
final class ServiceFragment {
    final ServicePort svc;
    final List<Endpoint> endpoints;
    final boolean largeClusterMode;
    final String zone;
    /** The Service's namespace/name, as {@link SyncInput#changedServices()} names it. */
    final String namespacedName;
    final ServiceChains chains;

    /** Entry rules in KUBE-SERVICES and KUBE-NODEPORTS (nat), written on every sync. */
    final String natEntries;
    final int natEntryLines;
    /** Rules in the filter table, written on every sync. */
    final String filterRules;
    final int filterRuleLines;
    /** Declarations of the Service's own chains, written only when its chains are. */
    final String chainDeclarations;
    final int chainDeclarationLines;
    /** The rules of the Service's own chains. */
    final String chainRules;
    final int chainRuleLines;
    /** The Service's own nat chains. */
    final String[] chainNames;

    /** The last sync that used this fragment. */
    long generation;

    ServiceFragment(ServicePort svc, List<Endpoint> endpoints, boolean largeClusterMode, String zone,
            String namespacedName, ServiceChains chains, RuleBuffer natEntries, RuleBuffer filterRules,
            RuleBuffer chainDeclarations, RuleBuffer chainRules, List<String> chainNames) {
        this.svc = svc;
        this.endpoints = endpoints;
        this.largeClusterMode = largeClusterMode;
        this.zone = zone;
        this.namespacedName = namespacedName;
        this.chains = chains;
        this.natEntries = natEntries.text();
        this.natEntryLines = natEntries.lines();
        this.filterRules = filterRules.text();
        this.filterRuleLines = filterRules.lines();
        this.chainDeclarations = chainDeclarations.text();
        this.chainDeclarationLines = chainDeclarations.lines();
        this.chainRules = chainRules.text();
        this.chainRuleLines = chainRules.lines();
        this.chainNames = chainNames.toArray(new String[0]);
    }

    /** Whether this is what the writer would render for these inputs. */
    boolean renders(ServicePort svc, List<Endpoint> endpoints, boolean largeClusterMode, String zone) {
        return this.largeClusterMode == largeClusterMode && Objects.equals(this.zone, zone)
                && (this.svc == svc || this.svc.equals(svc))
                && (this.endpoints == endpoints || this.endpoints.equals(endpoints));
    }
}
