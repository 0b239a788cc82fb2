package dev.turnout.proxy.iptables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.IpFamily;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.topology.TopologyFilter;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles a desired state into the iptables-restore input that upstream kube-proxy (iptables
 * mode, {@code syncProxyRules}, Kubernetes 1.34) writes for it. A pure function of its input: no
 * I/O, no clock. (It memoises chain-name hashes and each Service port's rendered rules between
 * calls, which does not change results.)
 *
 * <p>Upstream iterates Services (and a few sets) in Go map order, which is random; we use the
 * sorted order of {@link ProxyState}. Everything else, text and rule counts, is upstream's.
 *
 * <p>The rules that jump from built-in chains into ours are not part of the restore input; see
 * {@link JumpRule#ALL}. The host needs {@link #requiredSysctls()}.
 */
public final class IptablesCompiler {
    static final String SERVICES = "KUBE-SERVICES";
    static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
    static final String NODEPORTS = "KUBE-NODEPORTS";
    static final String POSTROUTING = "KUBE-POSTROUTING";
    static final String FORWARD = "KUBE-FORWARD";
    static final String PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
    static final String KUBELET_FIREWALL = "KUBE-FIREWALL";
    static final String NFACCT_LOCALHOST_NODEPORTS = "localhost_nps_accepted_pkts";
    static final String NFACCT_CT_INVALID = "ct_state_invalid_dropped_pkts";
    /** Above this many endpoints upstream drops per-endpoint comments to keep the ruleset small. */
    static final int LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

    /** The sysctl upstream sets (to 1) when localhost NodePorts are enabled. */
    public static final String SYSCTL_ROUTE_LOCALNET = "net/ipv4/conf/all/route_localnet";
    /** The sysctl upstream reads: when non-zero it writes no conntrack INVALID drop rule. */
    public static final String SYSCTL_TCP_BE_LIBERAL = "net/netfilter/nf_conntrack_tcp_be_liberal";
    /** The nfacct counters upstream creates (nfacct add) when the kernel supports them. */
    public static final List<String> NFACCT_COUNTERS = List.of(NFACCT_CT_INVALID, NFACCT_LOCALHOST_NODEPORTS);

    private static final List<String> FILTER_CHAINS =
            List.of(SERVICES, EXTERNAL_SERVICES, FORWARD, NODEPORTS, PROXY_FIREWALL);
    private static final List<String> NAT_CHAINS =
            List.of(SERVICES, NODEPORTS, POSTROUTING, ServiceRuleWriter.MARK_MASQ);
    private static final String[] NAT_CHAIN_ARRAY = NAT_CHAINS.toArray(new String[0]);

    private final IptablesConfig config;
    private final CompilerOptions options;
    private final MasqueradeMark mark;
    private final LocalTrafficDetector localDetector;
    private final NodePortAddresses nodePortAddresses;
    private final boolean localhostNodePorts;
    private final TopologyFilter topology;
    private final ChainNameCache names = new ChainNameCache();
    /** What each Service port rendered to, by the sync that last used it. */
    private final Map<ServicePortName, ServiceFragment> fragments = new HashMap<>();
    private long syncs;

    public IptablesCompiler(IptablesConfig config) {
        this(config, CompilerOptions.DEFAULTS);
    }

    public IptablesCompiler(IptablesConfig config, CompilerOptions options) {
        this.config = config;
        this.options = options;
        this.mark = options.masqueradeMarkText() != null ? MasqueradeMark.of(options.masqueradeMarkText())
                : MasqueradeMark.fromBit(config.masqueradeBit());
        this.localDetector = LocalTrafficDetector.forFamily(config.clusterCidrs(), config.family());
        this.nodePortAddresses = new NodePortAddresses(config.family(), config.nodePortAddresses());
        // NewProxier: no localhost NodePorts unless --nodeport-addresses covers 127.0.0.0/8;
        // NewDualStackProxier: never for IPv6.
        this.localhostNodePorts = config.localhostNodePorts() && nodePortAddresses.containsIPv4Loopback()
                && config.family() == IpFamily.IPv4;
        this.topology = new TopologyFilter(options.preferSameTrafficDistribution());
    }

    public IptablesConfig config() {
        return config;
    }

    public CompilerOptions options() {
        return options;
    }

    /** The masquerade mark as written in rules. */
    public MasqueradeMark masqueradeMark() {
        return mark;
    }

    /** The sysctls upstream sets before syncing: route_localnet=1 when localhost NodePorts work. */
    public Map<String, String> requiredSysctls() {
        return localhostNodePorts ? Map.of(SYSCTL_ROUTE_LOCALNET, "1") : Map.of();
    }

    /**
     * Compiles with the node's own addresses standing in for the interface addresses that
     * {@code --nodeport-addresses} selects from: {@code config.nodeIps()}, the Node's addresses,
     * and loopback.
     */
    public CompiledRules compile(SyncInput input) {
        Set<String> local = new LinkedHashSet<>(config.nodeIps());
        if (input.state().node() != null) {
            local.addAll(input.state().node().addresses());
        }
        local.add("127.0.0.1");
        local.add("::1");
        return compile(input, local);
    }

    /**
     * @param interfaceAddresses the host's interface addresses (upstream lists them with
     *     net.InterfaceAddrs); only used when {@code --nodeport-addresses} is set
     */
    public synchronized CompiledRules compile(SyncInput input, Collection<String> interfaceAddresses) {
        ProxyState state = input.state();
        int serviceCount = state.services().size();
        @SuppressWarnings("unchecked")
        List<Endpoint>[] endpointsOf = new List[serviceCount];
        int totalEndpoints = lookUpEndpoints(state, endpointsOf);
        String zone = state.node() == null ? null : state.node().zone();
        SyncContext ctx = new SyncContext(serviceCount, totalEndpoints,
                config.family() == IpFamily.IPv6, mark, localDetector, nodePortAddresses, localhostNodePorts,
                config.nfacct(), totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD, config.nodeName(), zone,
                primaryNodeIp());

        writeTopLevelChains(ctx);
        writeMasqueradeChains(ctx);
        writeLocalhostFirewall(ctx);
        writeServices(input, ctx, endpointsOf);
        int deleted = deleteStaleChains(ctx, input.existingNatChains());
        writeNodePortsJump(ctx, interfaceAddresses);
        writeForwardRules(ctx);
        return new CompiledRules(render(ctx), activeChains(ctx),
                ctx.natRules.lines() + ctx.skippedNatRules.lines() - deleted, ctx.filterRules.lines());
    }

    /**
     * Fills {@code out} with the endpoints of each Service port, in the order of
     * {@code state.services()}, and returns how many there are in all. Both maps are sorted the
     * same way, so they are walked side by side; hash lookups (ServicePortName compares by
     * building its text) cover keys that do not line up.
     */
    private static int lookUpEndpoints(ProxyState state, List<Endpoint>[] out) {
        Map<ServicePortName, List<Endpoint>> all = state.endpoints();
        Iterator<Map.Entry<ServicePortName, List<Endpoint>>> it = all.entrySet().iterator();
        Map.Entry<ServicePortName, List<Endpoint>> next = it.hasNext() ? it.next() : null;
        Map<ServicePortName, List<Endpoint>> byHash = null;
        int total = 0;
        int i = 0;
        for (ServicePortName name : state.services().keySet()) {
            List<Endpoint> eps;
            if (next != null && next.getKey().equals(name)) {
                eps = next.getValue();
                next = it.hasNext() ? it.next() : null;
            } else {
                if (byHash == null) {
                    byHash = new HashMap<>(all);
                }
                eps = byHash.getOrDefault(name, List.of());
            }
            out[i++] = eps;
            total += eps.size();
        }
        return total;
    }

    /**
     * The per-Service part of the sync. Each Service port's rules are rendered once and reused
     * while it, its endpoints and the settings they depend on stay the same; a partial sync writes
     * the own chains of changed Services only, but counts everyone's.
     */
    private void writeServices(SyncInput input, SyncContext ctx, List<Endpoint>[] endpointsOf) {
        long generation = ++syncs;
        ServiceRuleWriter writer = new ServiceRuleWriter(ctx, names, topology, options.masqueradeAll());
        int i = 0;
        int live = 0;
        for (Map.Entry<ServicePortName, ServicePort> e : input.state().services().entrySet()) {
            List<Endpoint> endpoints = endpointsOf[i++];
            ServicePort svc = e.getValue();
            if (svc.clusterIp() == null) {
                continue; // headless: ServicePorts never yields these, but be safe
            }
            ServicePortName key = e.getKey();
            ServiceFragment f = fragments.get(key);
            if (f == null || !f.renders(svc, endpoints, ctx.largeClusterMode, ctx.zone)) {
                String namespacedName = f != null ? f.namespacedName : key.namespacedName();
                f = writer.render(svc, endpoints, namespacedName, f);
                fragments.put(key, f);
            }
            if (f.generation != generation) {
                f.generation = generation;
                live++;
            }
            boolean writeChains = input.full() || input.changedServices().contains(f.namespacedName);
            ctx.natRules.lines(f.natEntries, f.natEntryLines);
            ctx.filterRules.lines(f.filterRules, f.filterRuleLines);
            (writeChains ? ctx.natChains : ctx.skippedNatChains).lines(f.chainDeclarations, f.chainDeclarationLines);
            (writeChains ? ctx.natRules : ctx.skippedNatRules).lines(f.chainRules, f.chainRuleLines);
            ctx.activeNatChains.addGroup(f.chainNames);
        }
        if (fragments.size() > live) {
            fragments.values().removeIf(f -> f.generation != generation); // Services that went away
        }
    }

    private String primaryNodeIp() {
        for (String ip : config.nodeIps()) {
            if (config.family().owns(ip)) {
                return ip;
            }
        }
        return null;
    }

    private static void writeTopLevelChains(SyncContext ctx) {
        for (String c : FILTER_CHAINS) {
            ctx.filterChains.chain(c);
        }
        for (String c : NAT_CHAINS) {
            ctx.natChains.chain(c);
        }
        ctx.activeNatChains.addGroup(NAT_CHAIN_ARRAY);
    }

    /** KUBE-POSTROUTING and KUBE-MARK-MASQ: whole chains, so that a new mark replaces the old. */
    private void writeMasqueradeChains(SyncContext ctx) {
        ctx.natRules.append(POSTROUTING).a("-m").a("mark").a("!").a("--mark").a(mark.withMask())
                .a("-j").a("RETURN").end();
        // clear the mark so that a packet re-entering the stack is not masqueraded twice
        ctx.natRules.append(POSTROUTING).a("-j").a("MARK").a("--xor-mark").a(mark.text()).end();
        ctx.natRules.append(POSTROUTING).a("-m").a("comment").a("--comment")
                .quoted("kubernetes service traffic requiring SNAT", "").a("-j").a("MASQUERADE");
        if (options.randomFully()) {
            ctx.natRules.a("--random-fully");
        }
        ctx.natRules.end();
        ctx.natRules.append(ServiceRuleWriter.MARK_MASQ).a("-j").a("MARK").a("--or-mark").a(mark.text()).end();
    }

    /**
     * route_localnet opens 127.0.0.0/8 to the outside (issue 90259); kubelet's anti-martian rule,
     * duplicated here, closes it again for everything but DNATed NodePort traffic.
     */
    private static void writeLocalhostFirewall(SyncContext ctx) {
        if (ctx.ipv6 || !ctx.localhostNodePorts) {
            return;
        }
        ctx.filterChains.chain(KUBELET_FIREWALL);
        ctx.filterRules.append(KUBELET_FIREWALL).a("-m").a("comment").a("--comment")
                .quoted("block incoming localnet connections", "").a("-d").a("127.0.0.0/8")
                .a("!").a("-s").a("127.0.0.0/8").a("-m").a("conntrack").a("!").a("--ctstate")
                .a("RELATED,ESTABLISHED,DNAT").a("-j").a("DROP").end();
    }

    /** Flush (chain line) and delete ({@code -X}) our chains that the desired state no longer has. */
    private static int deleteStaleChains(SyncContext ctx, Set<String> existing) {
        int deleted = 0;
        for (String chain : new TreeSet<>(existing)) {
            if (!ChainNames.isServiceChain(chain) || ctx.activeNatChains.contains(chain)) {
                continue;
            }
            ctx.natChains.chain(chain);
            ctx.natRules.a("-X").a(chain).end();
            deleted++;
        }
        return deleted;
    }

    /** The tail call to KUBE-NODEPORTS; it must stay the last rule of KUBE-SERVICES. */
    private void writeNodePortsJump(SyncContext ctx, Collection<String> interfaceAddresses) {
        String comment = "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
        if (nodePortAddresses.matchAll()) {
            ctx.natRules.append(SERVICES).a("-m").a("comment").a("--comment").a(comment)
                    .a("-m").a("addrtype").a("--dst-type").a("LOCAL");
            // localhost NodePorts never work on IPv6, and on IPv4 only with route_localnet
            if (ctx.ipv6) {
                ctx.natRules.a("!").a("-d").a("::1/128");
            } else if (!ctx.localhostNodePorts) {
                ctx.natRules.a("!").a("-d").a("127.0.0.0/8");
            }
            ctx.natRules.a("-j").a(NODEPORTS).end();
            return;
        }
        for (String ip : nodePortAddresses.nodeIps(interfaceAddresses)) {
            if (NodePortAddresses.isLoopback(ip) && (ctx.ipv6 || !ctx.localhostNodePorts)) {
                continue; // upstream logs an error and skips it
            }
            ctx.natRules.append(SERVICES).a("-m").a("comment").a("--comment").a(comment)
                    .a("-d").a(ip).a("-j").a(NODEPORTS).end();
        }
    }

    private void writeForwardRules(SyncContext ctx) {
        // INVALID packets would reset connections unless nf_conntrack_tcp_be_liberal is set
        // (kubernetes issues 74839, 117924)
        if (!options.conntrackTcpLiberal()) {
            ctx.filterRules.append(FORWARD).a("-m").a("conntrack").a("--ctstate").a("INVALID");
            if (ctx.nfacct) {
                ctx.filterRules.a("-m").a("nfacct").a("--nfacct-name").a(NFACCT_CT_INVALID);
            }
            ctx.filterRules.a("-j").a("DROP").end();
        }
        // marked traffic is forwarded even when the FORWARD policy is not ACCEPT (NodePorts)
        ctx.filterRules.append(FORWARD).a("-m").a("comment").a("--comment")
                .quoted("kubernetes forwarding rules", "").a("-m").a("mark").a("--mark").a(mark.withMask())
                .a("-j").a("ACCEPT").end();
        ctx.filterRules.append(FORWARD).a("-m").a("comment").a("--comment")
                .quoted("kubernetes forwarding conntrack rule", "").a("-m").a("conntrack")
                .a("--ctstate").a("RELATED,ESTABLISHED").a("-j").a("ACCEPT").end();
    }

    private static String render(SyncContext ctx) {
        List<String> out = new ArrayList<>();
        out.add("*filter\n");
        ctx.filterChains.appendTo(out);
        ctx.filterRules.appendTo(out);
        out.add("COMMIT\n*nat\n");
        ctx.natChains.appendTo(out);
        ctx.natRules.appendTo(out);
        out.add("COMMIT\n");
        // one copy: String.join sizes the result from its pieces
        return String.join("", out);
    }

    /** Every nat chain of the desired state: the top-level ones and the per-Service ones. */
    private static Set<String> activeChains(SyncContext ctx) {
        return ctx.activeNatChains;
    }
}
