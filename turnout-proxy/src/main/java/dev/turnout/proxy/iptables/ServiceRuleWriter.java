package dev.turnout.proxy.iptables;

import dev.turnout.model.Cidr;
import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.proxy.iptables.ChainNameCache.ServiceChains;
import dev.turnout.proxy.topology.CategorizedEndpoints;
import dev.turnout.proxy.topology.TopologyFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the rules of one Service port, stage by stage in upstream's order (the body of the
 * per-service loop of {@code syncProxyRules}): the entry rules in the top-level chains, which
 * are always written, then the Service's own SVC/SVL/EXT/FW/SEP chains, which a partial sync
 * writes only for changed Services. The result is a {@link ServiceFragment}; the compiler decides
 * which of its parts go into the sync's output.
 */
final class ServiceRuleWriter {
    static final String MARK_MASQ = "KUBE-MARK-MASQ";
    private static final String JUMP_MARK_MASQ = "-j " + MARK_MASQ;

    private final SyncContext ctx;
    private final ChainNameCache names;
    private final TopologyFilter topology;
    private final boolean masqueradeAll;
    // scratch buffers for the Service being rendered
    private final RuleBuffer natEntries = RuleBuffer.create(512);
    private final RuleBuffer filterRules = RuleBuffer.create(256);
    private final RuleBuffer chainDeclarations = RuleBuffer.create(1024);
    private final RuleBuffer chainRules = RuleBuffer.create(8192);
    private final List<String> chainNames = new ArrayList<>();

    ServiceRuleWriter(SyncContext ctx, ChainNameCache names, TopologyFilter topology, boolean masqueradeAll) {
        this.ctx = ctx;
        this.names = names;
        this.topology = topology;
        this.masqueradeAll = masqueradeAll;
    }

    /** What upstream computes up front for one Service port. */
    private record Plan(ServicePort svc, ServiceChains chains, CategorizedEndpoints eps, String name, String proto,
            boolean hasEndpoints, boolean hasInternal, boolean hasExternal, String internalChain,
            String externalPolicyChain, boolean usesExternalChain, boolean usesFirewallChain,
            String loadBalancerChain, String internalFilterTarget, String internalFilterComment,
            String externalFilterTarget, String externalFilterComment) {
    }

    /**
     * Renders one Service port. {@code previous} is what was rendered for it last time, or null:
     * its chain names are reused.
     */
    ServiceFragment render(ServicePort svc, List<Endpoint> endpoints, String namespacedName,
            ServiceFragment previous) {
        natEntries.clear();
        filterRules.clear();
        chainDeclarations.clear();
        chainRules.clear();
        chainNames.clear();
        ServiceChains chains = names.service(svc, previous == null ? null : previous.chains);
        Plan p = plan(svc, chains, endpoints);
        writeClusterIpEntry(p);
        writeExternalIpEntries(p);
        writeLoadBalancerEntries(p);
        writeNodePortEntries(p);
        writeHealthCheckNodePort(p);

        RuleBuffer decls = chainDeclarations;
        RuleBuffer rules = chainRules;
        writeInternalMasquerade(p, rules);
        writeExternalChain(p, decls, rules);
        writeFirewallChain(p, decls, rules);
        if (!p.eps.cluster().isEmpty() && svc.usesClusterEndpoints()) {
            declare(decls, p.chains.cluster());
            writeDispatch(rules, p, p.chains.cluster(), p.eps.cluster());
        }
        if (!p.eps.local().isEmpty() && svc.usesLocalEndpoints()) {
            declare(decls, p.chains.local());
            writeDispatch(rules, p, p.chains.local(), p.eps.local());
        }
        writeEndpointChains(p, decls, rules);
        if (p.chains.endpoints().size() > 4 * endpoints.size() + 16) {
            p.chains.endpoints().clear(); // forget endpoints that churned away
        }
        return new ServiceFragment(svc, endpoints, ctx.largeClusterMode, ctx.zone, namespacedName, chains,
                natEntries, filterRules, chainDeclarations, chainRules, chainNames);
    }

    private Plan plan(ServicePort svc, ServiceChains chains, List<Endpoint> endpoints) {
        String name = chains.nameString();
        CategorizedEndpoints eps = topology.categorize(endpoints, svc, ctx.nodeName, ctx.zone);
        boolean hasEndpoints = eps.hasAnyEndpoints();
        String internalChain = chains.cluster();
        boolean hasInternal = hasEndpoints;
        if (svc.internalPolicyLocal()) {
            internalChain = chains.local();
            hasInternal &= !eps.local().isEmpty();
        }
        String externalPolicyChain = chains.cluster();
        boolean hasExternal = hasEndpoints;
        if (svc.externalPolicyLocal()) {
            externalPolicyChain = chains.local();
            hasExternal &= !eps.local().isEmpty();
        }
        // The EXT chain is needed whenever some node has endpoints, for the short-circuit rules.
        boolean usesExternalChain = hasEndpoints && svc.externallyAccessible();
        boolean usesFirewallChain = hasEndpoints && !svc.loadBalancerVips().isEmpty()
                && !svc.loadBalancerSourceRanges().isEmpty();
        String lbChain = usesFirewallChain ? chains.firewall() : chains.external();

        String intTarget = null;
        String intComment = null;
        String extTarget = null;
        String extComment = null;
        if (!hasEndpoints) {
            intTarget = "REJECT";
            intComment = "\"" + name + " has no endpoints\"";
            extTarget = intTarget;
            extComment = intComment;
        } else {
            if (!hasInternal) {
                intTarget = "DROP";
                intComment = "\"" + name + " has no local endpoints\"";
            }
            if (!hasExternal) {
                extTarget = "DROP";
                extComment = "\"" + name + " has no local endpoints\"";
            }
        }
        return new Plan(svc, chains, eps, name, chains.protocol(), hasEndpoints, hasInternal, hasExternal,
                internalChain, externalPolicyChain, usesExternalChain, usesFirewallChain, lbChain,
                intTarget, intComment, extTarget, extComment);
    }

    /** {@code -m comment --comment "..." -m PROTO -p PROTO}: the common head of entry rules. */
    private static RuleBuffer head(RuleBuffer b, String chain, String comment, String proto) {
        return b.append(chain).a("-m").a("comment").a("--comment").a(comment).a("-m").a(proto).a("-p").a(proto);
    }

    private void writeClusterIpEntry(Plan p) {
        if (p.hasInternal) {
            natEntries.append(IptablesCompiler.SERVICES).a("-m").a("comment").a("--comment")
                    .quoted(p.name, " cluster IP").a("-m").a(p.proto).a("-p").a(p.proto)
                    .a("-d").a(p.svc.clusterIp()).a("--dport").a(p.svc.port()).a("-j").a(p.internalChain).end();
        } else {
            head(filterRules, IptablesCompiler.SERVICES, p.internalFilterComment, p.proto)
                    .a("-d").a(p.svc.clusterIp()).a("--dport").a(p.svc.port()).a("-j").a(p.internalFilterTarget).end();
        }
    }

    private void writeExternalIpEntries(Plan p) {
        for (String ip : p.svc.externalIps()) {
            if (p.hasEndpoints) {
                natEntries.append(IptablesCompiler.SERVICES).a("-m").a("comment").a("--comment")
                        .quoted(p.name, " external IP").a("-m").a(p.proto).a("-p").a(p.proto)
                        .a("-d").a(ip).a("--dport").a(p.svc.port()).a("-j").a(p.chains.external()).end();
            }
            if (!p.hasExternal) {
                // REJECT when no endpoints at all; DROP what the EXT chain did not short-circuit
                head(filterRules, IptablesCompiler.EXTERNAL_SERVICES, p.externalFilterComment, p.proto)
                        .a("-d").a(ip).a("--dport").a(p.svc.port()).a("-j").a(p.externalFilterTarget).end();
            }
        }
    }

    private void writeLoadBalancerEntries(Plan p) {
        for (String ip : p.svc.loadBalancerVips()) {
            if (p.hasEndpoints) {
                natEntries.append(IptablesCompiler.SERVICES).a("-m").a("comment").a("--comment")
                        .quoted(p.name, " loadbalancer IP").a("-m").a(p.proto).a("-p").a(p.proto)
                        .a("-d").a(ip).a("--dport").a(p.svc.port()).a("-j").a(p.loadBalancerChain).end();
            }
            if (p.usesFirewallChain) {
                filterRules.append(IptablesCompiler.PROXY_FIREWALL).a("-m").a("comment").a("--comment")
                        .quoted(p.name, " traffic not accepted by ", p.chains.firewall())
                        .a("-m").a(p.proto).a("-p").a(p.proto).a("-d").a(ip).a("--dport").a(p.svc.port())
                        .a("-j").a("DROP").end();
            }
        }
        if (!p.hasExternal) {
            for (String ip : p.svc.loadBalancerVips()) {
                head(filterRules, IptablesCompiler.EXTERNAL_SERVICES, p.externalFilterComment, p.proto)
                        .a("-d").a(ip).a("--dport").a(p.svc.port()).a("-j").a(p.externalFilterTarget).end();
            }
        }
    }

    private void writeNodePortEntries(Plan p) {
        int nodePort = p.svc.nodePort();
        if (nodePort == 0) {
            return;
        }
        if (p.hasEndpoints) {
            // NodePorts are not subject to loadBalancerSourceRanges, upstream says, for better or worse.
            if (ctx.localhostNodePorts && !ctx.ipv6 && ctx.nfacct) {
                natEntries.append(IptablesCompiler.NODEPORTS).a("-m").a("comment").a("--comment").a(p.name)
                        .a("-m").a(p.proto).a("-p").a(p.proto).a("-d").a("127.0.0.0/8").a("--dport").a(nodePort)
                        .a("-m").a("nfacct").a("--nfacct-name").a(IptablesCompiler.NFACCT_LOCALHOST_NODEPORTS)
                        .a("-j").a(p.chains.external()).end();
            }
            natEntries.append(IptablesCompiler.NODEPORTS).a("-m").a("comment").a("--comment").a(p.name)
                    .a("-m").a(p.proto).a("-p").a(p.proto).a("--dport").a(nodePort)
                    .a("-j").a(p.chains.external()).end();
        }
        if (!p.hasExternal) {
            filterRules.append(IptablesCompiler.EXTERNAL_SERVICES).a("-m").a("comment").a("--comment")
                    .a(p.externalFilterComment).a("-m").a("addrtype").a("--dst-type").a("LOCAL")
                    .a("-m").a(p.proto).a("-p").a(p.proto).a("--dport").a(nodePort)
                    .a("-j").a(p.externalFilterTarget).end();
        }
    }

    /** Health checks are accepted whether or not this node has local endpoints. */
    private void writeHealthCheckNodePort(Plan p) {
        int hc = p.svc.healthCheckNodePort();
        if (hc != 0) {
            filterRules.append(IptablesCompiler.NODEPORTS).a("-m").a("comment").a("--comment")
                    .quoted(p.name, " health check node port").a("-m").a("tcp").a("-p").a("tcp")
                    .a("--dport").a(hc).a("-j").a("ACCEPT").end();
        }
    }

    /**
     * Off-cluster traffic to a cluster IP is masqueraded: someone may route the Service range to
     * any node, which then bridges into the Service and may bounce off-node.
     */
    private void writeInternalMasquerade(Plan p, RuleBuffer rules) {
        if (!p.hasInternal || (!masqueradeAll && !ctx.localDetector.implemented())) {
            return;
        }
        rules.append(p.internalChain).a("-m").a("comment").a("--comment").quoted(p.name, " cluster IP")
                .a("-m").a(p.proto).a("-p").a(p.proto).a("-d").a(p.svc.clusterIp()).a("--dport").a(p.svc.port());
        if (!masqueradeAll) {
            ctx.localDetector.ifNotLocal(rules);
        }
        rules.a("-j").a(MARK_MASQ).end();
    }

    private void writeExternalChain(Plan p, RuleBuffer chains, RuleBuffer rules) {
        if (!p.usesExternalChain) {
            return;
        }
        String ext = p.chains.external();
        declare(chains, ext);
        if (!p.svc.externalPolicyLocal()) {
            // endpoints may be on other nodes: masquerade so that replies come back through us
            rules.append(ext).a("-m").a("comment").a("--comment")
                    .quoted("masquerade traffic for ", p.name, " external destinations").a("-j").a(MARK_MASQ).end();
        } else {
            if (ctx.localDetector.implemented()) {
                // pod -> external IP behaves as if it went out to the load balancer and back in:
                // no traffic policy applies
                rules.append(ext).a("-m").a("comment").a("--comment")
                        .quoted("pod traffic for ", p.name, " external destinations");
                ctx.localDetector.ifLocal(rules);
                rules.a("-j").a(p.chains.cluster()).end();
            }
            // the node itself: the external IP is local, so it would be the source; masquerade
            rules.append(ext).a("-m").a("comment").a("--comment")
                    .quoted("masquerade LOCAL traffic for ", p.name, " external destinations")
                    .a("-m").a("addrtype").a("--src-type").a("LOCAL").a("-j").a(MARK_MASQ).end();
            rules.append(ext).a("-m").a("comment").a("--comment")
                    .quoted("route LOCAL traffic for ", p.name, " external destinations")
                    .a("-m").a("addrtype").a("--src-type").a("LOCAL").a("-j").a(p.chains.cluster()).end();
        }
        if (p.hasExternal) {
            rules.append(ext).a("-j").a(p.externalPolicyChain).end();
        }
    }

    /** loadBalancerSourceRanges: only VIP-like load balancers that keep the client IP. */
    private void writeFirewallChain(Plan p, RuleBuffer chains, RuleBuffer rules) {
        if (!p.usesFirewallChain) {
            return;
        }
        String fw = p.chains.firewall();
        declare(chains, fw);
        boolean allowFromNode = false;
        for (String range : p.svc.loadBalancerSourceRanges()) {
            rules.append(fw).a("-m").a("comment").a("--comment").quoted(p.name, " loadbalancer IP")
                    .a("-s").a(range).a("-j").a(p.chains.external()).end();
            if (ctx.nodeIp != null && !allowFromNode) {
                Cidr c = Cidr.tryParse(range);
                allowFromNode = c != null && c.contains(ctx.nodeIp);
            }
        }
        // A node talking to a VIP it hosts loops back with the VIP as source: allow it too.
        if (allowFromNode) {
            for (String ip : p.svc.loadBalancerVips()) {
                rules.append(fw).a("-m").a("comment").a("--comment").quoted(p.name, " loadbalancer IP")
                        .a("-s").a(ip).a("-j").a(p.chains.external()).end();
            }
        }
        // whatever falls off the end was not DNATed and meets KUBE-PROXY-FIREWALL's DROP
        rules.append(fw).a("-m").a("comment").a("--comment")
                .quoted("other traffic to ", p.name, " will be dropped by KUBE-PROXY-FIREWALL").end();
    }

    /** Upstream's writeServiceToEndpointRules: affinity checks first, then the random spread. */
    private void writeDispatch(RuleBuffer rules, Plan p, String chain, List<Endpoint> endpoints) {
        boolean comments = !ctx.largeClusterMode;
        if (p.svc.sessionAffinity().clientIp()) {
            String seconds = Integer.toString(p.svc.sessionAffinity().timeoutSeconds());
            for (Endpoint ep : endpoints) {
                ChainNameCache.EndpointNames en = names.endpoint(p.chains, ep);
                String sep = en.chain();
                rules.append(chain);
                if (comments) {
                    rules.a("-m").a("comment").a("--comment").quoted(p.name, " -> ", en.text());
                }
                rules.a("-m").a("recent").a("--name").a(sep).a("--rcheck").a("--seconds").a(seconds).a("--reap")
                        .a("-j").a(sep).end();
            }
        }
        int n = endpoints.size();
        for (int i = 0; i < n; i++) {
            ChainNameCache.EndpointNames en = names.endpoint(p.chains, endpoints.get(i));
            rules.append(chain);
            if (comments) {
                rules.a("-m comment --comment").quoted(p.name, " -> ", en.text());
            }
            if (i < n - 1) {
                rules.a("-m statistic --mode random --probability").a(Probability.of(n - i));
            }
            rules.a("-j").a(en.chain()).end();
        }
    }

    private void writeEndpointChains(Plan p, RuleBuffer chains, RuleBuffer rules) {
        boolean comments = !ctx.largeClusterMode;
        boolean affinity = p.svc.sessionAffinity().clientIp();
        for (Endpoint ep : p.eps.allReachable()) {
            ChainNameCache.EndpointNames en = names.endpoint(p.chains, ep);
            String sep = en.chain();
            declare(chains, sep);
            // hairpin: a pod reaching itself through the Service must be masqueraded
            // constant runs of arguments are appended as one (a() joins with single spaces)
            rules.append(sep);
            if (comments) {
                rules.a("-m comment --comment").a(p.name);
            }
            rules.a("-s").a(ep.ip()).a(JUMP_MARK_MASQ).end();
            rules.append(sep);
            if (comments) {
                rules.a("-m comment --comment").a(p.name);
            }
            if (affinity) {
                rules.a("-m recent --name").a(sep).a("--set");
            }
            rules.a("-m").a(p.proto).a("-p").a(p.proto).a("-j DNAT --to-destination").a(en.text()).end();
        }
    }

    private void declare(RuleBuffer chains, String chain) {
        chains.chain(chain);
        chainNames.add(chain);
    }
}
