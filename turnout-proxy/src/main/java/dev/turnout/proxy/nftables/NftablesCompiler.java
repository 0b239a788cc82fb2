package dev.turnout.proxy.nftables;

import dev.turnout.model.Cidr;
import dev.turnout.model.Endpoint;
import dev.turnout.model.IpFamily;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.MasqueradeMark;
import dev.turnout.proxy.iptables.NodePortAddresses;
import dev.turnout.proxy.topology.CategorizedEndpoints;
import dev.turnout.proxy.topology.TopologyFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles a desired state into the {@code nft -f} transaction that upstream kube-proxy's nftables
 * backend (pkg/proxy/nftables, Kubernetes 1.34) runs for it: one table {@code ip kube-proxy} (or
 * {@code ip6}), verdict maps keyed on {@code daddr . l4proto . dport} that dispatch to per-Service
 * chains, and per-Service chains that pick an endpoint with {@code numgen random mod N}.
 *
 * <p>No I/O, no clock. What the table already holds comes from a {@link KernelBook}, which this
 * updates while compiling: a partial sync writes the chains of changed Services and the element
 * differences only, so its cost does not grow with the number of Services left alone.
 */
public final class NftablesCompiler {
    public static final String TABLE = "kube-proxy";

    static final String SERVICES = "services";
    static final String SERVICE_IPS = "service-ips";
    static final String SERVICE_NODEPORTS = "service-nodeports";
    static final String NODEPORT_IPS = "nodeport-ips";
    static final String CLUSTER_IPS = "cluster-ips";
    static final String SERVICE_ENDPOINTS_CHECK = "service-endpoints-check";
    static final String NODEPORT_ENDPOINTS_CHECK = "nodeport-endpoints-check";
    static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    static final String REJECT_CHAIN = "reject-chain";
    static final String CLUSTER_IPS_CHECK = "cluster-ips-check";
    static final String FIREWALL_IPS = "firewall-ips";
    static final String FIREWALL_CHECK = "firewall-check";
    static final String MARK_MASQ = "mark-for-masquerade";
    static final String MASQUERADING = "masquerading";

    /** The maps and sets whose elements the book tracks, flushed on every full sync. */
    static final List<String> CONTAINERS = List.of(CLUSTER_IPS, SERVICE_IPS, FIREWALL_IPS, NO_ENDPOINT_SERVICES,
            NO_ENDPOINT_NODEPORTS, SERVICE_NODEPORTS);

    /** name, type, hook, priority: the chains attached to netfilter hooks. */
    private static final String[][] BASE_CHAINS = {
        {"filter-prerouting-pre-dnat", "filter", "prerouting", "-110"},
        {"filter-output-pre-dnat", "filter", "output", "-110"},
        {"filter-forward", "filter", "forward", "0"},
        {"filter-input", "filter", "input", "0"},
        {"filter-output", "filter", "output", "0"},
        {"nat-prerouting", "nat", "prerouting", "-100"},
        {"nat-output", "nat", "output", "-100"},
        {"nat-postrouting", "nat", "postrouting", "100"},
    };

    /** destination, source, extra match: the jumps from base chains into ours. */
    private static final String[][] JUMPS = {
        {NODEPORT_ENDPOINTS_CHECK, "filter-input", "ct state new"},
        {SERVICE_ENDPOINTS_CHECK, "filter-input", "ct state new"},
        {SERVICE_ENDPOINTS_CHECK, "filter-forward", "ct state new"},
        {SERVICE_ENDPOINTS_CHECK, "filter-output", "ct state new"},
        {FIREWALL_CHECK, "filter-prerouting-pre-dnat", "ct state new"},
        {FIREWALL_CHECK, "filter-output-pre-dnat", "ct state new"},
        {SERVICES, "nat-output", ""},
        {SERVICES, "nat-prerouting", ""},
        {MASQUERADING, "nat-postrouting", ""},
        {CLUSTER_IPS_CHECK, "filter-forward", "ct state new"},
        {CLUSTER_IPS_CHECK, "filter-output", "ct state new"},
    };

    private final IptablesConfig config;
    private final NftablesOptions options;
    private final String ipX;
    private final String addrType;
    private final String noLocalhost;
    private final String prefix;
    private final String mark;
    private final String clusterCidr;
    private final NodePortAddresses nodePortAddresses;
    private final TopologyFilter topology;
    private final Map<ServicePortName, String[]> nameCache = new HashMap<>();

    public NftablesCompiler(IptablesConfig config) {
        this(config, NftablesOptions.DEFAULTS);
    }

    public NftablesCompiler(IptablesConfig config, NftablesOptions options) {
        this.config = config;
        this.options = options;
        boolean v6 = config.family() == IpFamily.IPv6;
        this.ipX = v6 ? "ip6" : "ip";
        this.addrType = v6 ? "ipv6_addr" : "ipv4_addr";
        this.noLocalhost = v6 ? "ip6 daddr != ::1" : "ip daddr != 127.0.0.0/8";
        this.prefix = " " + ipX + " " + TABLE + " ";
        this.mark = options.masqueradeMarkText() != null ? options.masqueradeMarkText()
                : MasqueradeMark.fromBit(config.masqueradeBit()).text();
        String cidr = null;
        for (Cidr c : config.clusterCidrs()) {
            if (c.family() == config.family()) {
                cidr = c.toString();
                break;
            }
        }
        this.clusterCidr = cidr;
        this.nodePortAddresses = new NodePortAddresses(config.family(), config.nodePortAddresses());
        this.topology = new TopologyFilter(options.preferSameTrafficDistribution());
    }

    public IptablesConfig config() {
        return config;
    }

    /** The nft family word: {@code ip} or {@code ip6}. */
    public String family() {
        return ipX;
    }

    /** Compiles with a fresh book: the transaction of a first sync. */
    public NftTransaction compile(NftSyncInput input) {
        return compile(input, new KernelBook());
    }

    /**
     * The node's own addresses stand in for the interface addresses that
     * {@code --nodeport-addresses} selects from: {@code config.nodeIps()} and the Node's addresses.
     */
    public NftTransaction compile(NftSyncInput input, KernelBook book) {
        Set<String> local = new LinkedHashSet<>(config.nodeIps());
        if (input.state().node() != null) {
            local.addAll(input.state().node().addresses());
        }
        return compile(input, book, local);
    }

    public NftTransaction compile(NftSyncInput input, KernelBook book, Collection<String> interfaceAddresses) {
        synchronized (book) {
            Tx tx = new Tx(prefix);
            Set<String> knownChains = new HashSet<>();
            Set<String> knownSets = new HashSet<>();
            if (input.full()) {
                // everything the table may hold from before, to find what is stale
                knownChains.addAll(input.existingChains());
                knownSets.addAll(input.existingSets());
                for (KernelBook.PortRecord r : book.ports.values()) {
                    knownChains.addAll(r.chains);
                    knownSets.addAll(r.affinitySets);
                }
                knownChains.addAll(book.staleChains.keySet());
                book.elements.clear();
                book.clearPorts();
                setUp(tx, book, interfaceAddresses);
            }
            Set<String> stale = new TreeSet<>();
            Set<String> staleSets = new TreeSet<>();
            Set<String> activeChains = new HashSet<>();
            Set<String> activeSets = new HashSet<>();
            ProxyState state = input.state();
            String zone = state.node() == null ? null : state.node().zone();
            Set<String> changed = input.changedServices();
            for (Map.Entry<ServicePortName, ServicePort> e : portsToWrite(input)) {
                ServicePortName name = e.getKey();
                ServicePort svc = e.getValue();
                if (svc.clusterIp() == null) {
                    continue;
                }
                KernelBook.PortRecord old = book.ports.get(name);
                KernelBook.PortRecord now = new KernelBook.PortRecord();
                writePort(tx, book, name, svc, state.endpointsOf(name), zone, now);
                book.putPort(name, now);
                activeChains.addAll(now.chains);
                activeSets.addAll(now.affinitySets);
                for (String c : now.chains) {
                    book.staleChains.remove(c);
                }
                if (old != null) {
                    retire(tx, book, name, old, now, stale, staleSets);
                }
            }
            if (!input.full()) {
                // Service ports of changed Services that are gone
                List<ServicePortName> gone = new ArrayList<>();
                for (String svc : changed) {
                    for (ServicePortName name : book.portsByService.getOrDefault(svc, Set.of())) {
                        if (!state.services().containsKey(name)) {
                            gone.add(name);
                        }
                    }
                }
                gone.sort(null);
                KernelBook.PortRecord none = new KernelBook.PortRecord();
                for (ServicePortName name : gone) {
                    retire(tx, book, name, book.removePort(name), none, stale, staleSets);
                }
            } else {
                for (String c : new TreeSet<>(knownChains)) {
                    if (NftNames.isServiceChain(c) && !activeChains.contains(c)) {
                        stale.add(c);
                    }
                }
                for (String s : knownSets) {
                    if (NftNames.isAffinitySet(s) && !activeSets.contains(s)) {
                        staleSets.add(s);
                    }
                }
            }
            stale.removeAll(activeChains);
            staleSets.removeAll(activeSets);
            for (String c : stale) {
                tx.op("flush chain", c);
            }
            for (String s : staleSets) {
                tx.op("delete set", s);
            }
            return new NftTransaction(tx.text(), input.full(), stale, tx.rules, tx.elementChanges);
        }
    }

    /**
     * The Service ports to write, in order: all of them on a full sync; on a partial one, those of
     * the changed Services, found by key range (cost grows with the change, not with the cluster).
     */
    private static Iterable<Map.Entry<ServicePortName, ServicePort>> portsToWrite(NftSyncInput input) {
        Map<ServicePortName, ServicePort> all = input.state().services();
        if (input.full()) {
            return all.entrySet();
        }
        if (!(all instanceof java.util.NavigableMap<ServicePortName, ServicePort> nav)) {
            List<Map.Entry<ServicePortName, ServicePort>> out = new ArrayList<>();
            for (Map.Entry<ServicePortName, ServicePort> e : all.entrySet()) {
                if (input.changedServices().contains(e.getKey().namespacedName())) {
                    out.add(e);
                }
            }
            return out;
        }
        java.util.TreeMap<ServicePortName, ServicePort> out = new java.util.TreeMap<>();
        dev.turnout.model.Protocol[] protocols = dev.turnout.model.Protocol.values();
        for (String svc : input.changedServices()) {
            int slash = svc.indexOf('/');
            String ns = svc.substring(0, slash);
            String name = svc.substring(slash + 1);
            for (dev.turnout.model.Protocol p : protocols) {
                ServicePortName unnamed = new ServicePortName(ns, name, "", p);
                ServicePort sp = nav.get(unnamed);
                if (sp != null) {
                    out.put(unnamed, sp);
                }
            }
            // "ns/name:" followed by any port name: between ":\u0000" and ":\uffff"
            out.putAll(nav.subMap(new ServicePortName(ns, name, "\u0000", protocols[0]), true,
                    new ServicePortName(ns, name, "\uffff", protocols[protocols.length - 1]), true));
        }
        return out.entrySet();
    }

    /** Drops what {@code old} had and {@code now} lacks: elements, chains (stale), affinity sets. */
    private void retire(Tx tx, KernelBook book, ServicePortName name, KernelBook.PortRecord old,
            KernelBook.PortRecord now, Set<String> stale, Set<String> staleSets) {
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < now.elements.size(); i += 2) {
            kept.add(now.elements.get(i) + "\u0000" + now.elements.get(i + 1));
        }
        for (int i = 0; i < old.elements.size(); i += 2) {
            String container = old.elements.get(i);
            String key = old.elements.get(i + 1);
            if (kept.contains(container + "\u0000" + key)) {
                continue;
            }
            Map<String, KernelBook.Element> m = book.container(container);
            KernelBook.Element el = m.get(key);
            if (el == null) {
                continue;
            }
            el.owners.remove(name);
            if (el.owners.isEmpty()) {
                m.remove(key);
                tx.element("delete", container, key, null, null);
            }
        }
        for (String c : old.chains) {
            if (!now.chains.contains(c)) {
                stale.add(c);
            }
        }
        for (String s : old.affinitySets) {
            if (!now.affinitySets.contains(s)) {
                staleSets.add(s);
            }
        }
    }

    /** Adds an element unless the table has it already; records the port as one of its owners. */
    private static void ensureElement(Tx tx, KernelBook book, KernelBook.PortRecord rec, ServicePortName owner,
            String container, String key, String value, String comment) {
        rec.elements.add(container);
        rec.elements.add(key);
        Map<String, KernelBook.Element> m = book.container(container);
        KernelBook.Element el = m.get(key);
        if (el == null) {
            el = new KernelBook.Element(value, comment);
            m.put(key, el);
            tx.element("add", container, key, value, comment);
        } else if (!java.util.Objects.equals(el.value, value) || !java.util.Objects.equals(el.comment, comment)) {
            tx.element("delete", container, key, null, null);
            tx.element("add", container, key, value, comment);
            el.value = value;
            el.comment = comment;
        }
        if (!el.owners.contains(owner)) {
            el.owners.add(owner);
        }
    }

    /** [service, local, external, firewall] chain names of a port, memoised. */
    private String[] portChains(ServicePortName name) {
        return nameCache.computeIfAbsent(name, n -> {
            String base = NftNames.serviceBase(n);
            return new String[] {NftNames.CLUSTER_PREFIX + base, NftNames.LOCAL_PREFIX + base,
                NftNames.EXTERNAL_PREFIX + base, NftNames.FIREWALL_PREFIX + base};
        });
    }

    private void setUp(Tx tx, KernelBook book, Collection<String> interfaceAddresses) {
        tx.line("add table" + prefix.stripTrailing() + " { comment \"rules for kube-proxy\" ; }");
        if (!book.baseChainsRecreated) {
            // once per process: recreate the base chains, in case their priorities changed
            for (String[] bc : BASE_CHAINS) {
                tx.op("add chain", bc[0]);
                tx.op("delete chain", bc[0]);
            }
            book.baseChainsRecreated = true;
        }
        for (String[] bc : BASE_CHAINS) {
            tx.op("add chain", bc[0] + " { type " + bc[1] + " hook " + bc[2] + " priority " + bc[3] + " ; }");
            tx.op("flush chain", bc[0]);
        }
        Set<String> created = new HashSet<>();
        for (String[] j : JUMPS) {
            ensureChain(tx, j[0], created);
            tx.rule(j[1], (j[2].isEmpty() ? "" : j[2] + " ") + "jump " + j[0]);
        }
        for (String c : List.of(SERVICES, CLUSTER_IPS_CHECK, MASQUERADING, MARK_MASQ)) {
            ensureChain(tx, c, created);
        }
        tx.rule(MARK_MASQ, "mark set mark or " + mark);
        tx.rule(MASQUERADING, "mark and " + mark + " == 0 return");
        tx.rule(MASQUERADING, "mark set mark xor " + mark);
        tx.rule(MASQUERADING, "masquerade fully-random");

        tx.op("add set", CLUSTER_IPS + " { type " + addrType + " ; comment \"Active ClusterIPs\" ; }");
        tx.rule(CLUSTER_IPS_CHECK, ipX + " daddr @" + CLUSTER_IPS + " reject comment \"Reject traffic to invalid ports of ClusterIPs\"");
        List<String> serviceCidrs = new ArrayList<>();
        for (Cidr c : options.serviceCidrs()) {
            if (c.family() == config.family()) {
                serviceCidrs.add(c.toString());
            }
        }
        if (!serviceCidrs.isEmpty()) {
            tx.rule(CLUSTER_IPS_CHECK, ipX + " daddr { " + String.join(",", serviceCidrs)
                    + " } drop comment \"Drop traffic to unallocated ClusterIPs\"");
        }

        tx.op("add set", NODEPORT_IPS + " { type " + addrType + " ; comment \"IPs that accept NodePort traffic\" ; }");
        if (nodePortAddresses.matchAll()) {
            tx.op("delete set", NODEPORT_IPS);
        } else {
            tx.op("flush set", NODEPORT_IPS);
            for (String ip : nodePortAddresses.nodeIps(interfaceAddresses)) {
                if (NodePortAddresses.isLoopback(ip)) {
                    continue; // localhost NodePorts are not supported in nftables mode
                }
                tx.element("add", NODEPORT_IPS, ip, null, null);
                tx.elementChanges--; // part of the set-up, not a Service change
            }
        }

        tx.op("add map", NO_ENDPOINT_SERVICES + " { type " + addrType
                + " . inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to services with no endpoints\" ; }");
        tx.op("add map", NO_ENDPOINT_NODEPORTS + " { type inet_proto . inet_service : verdict ;"
                + " comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ; }");
        tx.op("add chain", REJECT_CHAIN + " { comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\" ; }");
        tx.op("flush chain", REJECT_CHAIN);
        tx.rule(REJECT_CHAIN, "reject");
        tx.rule(SERVICE_ENDPOINTS_CHECK, ipX + " daddr . meta l4proto . th dport vmap @" + NO_ENDPOINT_SERVICES);
        String nodePortDest = nodePortAddresses.matchAll() ? noLocalhost : ipX + " daddr @" + NODEPORT_IPS;
        tx.rule(NODEPORT_ENDPOINTS_CHECK, nodePortDest + " meta l4proto . th dport vmap @" + NO_ENDPOINT_NODEPORTS);

        tx.op("add map", FIREWALL_IPS + " { type " + addrType
                + " . inet_proto . inet_service : verdict ; comment \"destinations that are subject to LoadBalancerSourceRanges\" ; }");
        ensureChain(tx, FIREWALL_CHECK, created);
        tx.rule(FIREWALL_CHECK, ipX + " daddr . meta l4proto . th dport vmap @" + FIREWALL_IPS);

        tx.op("add map", SERVICE_IPS + " { type " + addrType
                + " . inet_proto . inet_service : verdict ; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }");
        tx.op("add map", SERVICE_NODEPORTS + " { type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ; }");
        tx.rule(SERVICES, ipX + " daddr . meta l4proto . th dport vmap @" + SERVICE_IPS);
        tx.rule(SERVICES, (nodePortAddresses.matchAll() ? "fib daddr type local " + noLocalhost : nodePortDest)
                + " meta l4proto . th dport vmap @" + SERVICE_NODEPORTS);

        tx.op("flush set", CLUSTER_IPS);
        for (String m : CONTAINERS) {
            if (!m.equals(CLUSTER_IPS)) {
                tx.op("flush map", m);
            }
        }
    }

    private static void ensureChain(Tx tx, String chain, Set<String> created) {
        if (created.add(chain)) {
            tx.op("add chain", chain);
            tx.op("flush chain", chain);
        }
    }

    /** One Service port: its chains and rules, then its elements. */
    private void writePort(Tx tx, KernelBook book, ServicePortName name, ServicePort svc, List<Endpoint> all,
            String zone, KernelBook.PortRecord rec) {
        String protocol = svc.protocol().lower();
        String port = Integer.toString(svc.port());
        String nameString = name.toString();
        String[] chains = portChains(name);
        String clusterChain = chains[0];
        String localChain = chains[1];
        String externalChain = chains[2];
        String fwChain = chains[3];
        CategorizedEndpoints cat = topology.categorize(all, svc, config.nodeName(), zone);
        boolean affinity = svc.sessionAffinity().clientIp();

        Set<String> created = new HashSet<>();
        List<String[]> reachable = new ArrayList<>(); // endpoint, chain, affinity set
        Map<String, String> epChain = new HashMap<>();
        for (Endpoint ep : cat.allReachable()) {
            String base = NftNames.endpointBase(name, ep.ip(), ep.port());
            String chain = NftNames.ENDPOINT_PREFIX + base;
            reachable.add(new String[] {ep.ip(), ep.toString(), chain, NftNames.AFFINITY_PREFIX + base});
            epChain.put(ep.toString(), chain);
            ensureChain(tx, chain, created);
            rec.chains.add(chain);
            if (affinity) {
                rec.affinitySets.add(NftNames.AFFINITY_PREFIX + base);
            }
        }
        boolean usesClusterChain = !cat.cluster().isEmpty() && svc.usesClusterEndpoints();
        if (usesClusterChain) {
            ensureChain(tx, clusterChain, created);
            rec.chains.add(clusterChain);
        }
        boolean usesLocalChain = !cat.local().isEmpty() && svc.usesLocalEndpoints();
        if (usesLocalChain) {
            ensureChain(tx, localChain, created);
            rec.chains.add(localChain);
        }
        boolean hasEndpoints = cat.hasAnyEndpoints();
        String internalChain = clusterChain;
        boolean hasInternal = hasEndpoints;
        if (svc.internalPolicyLocal()) {
            internalChain = localChain;
            hasInternal = hasInternal && !cat.local().isEmpty();
        }
        String externalPolicyChain = clusterChain;
        boolean hasExternal = hasEndpoints;
        if (svc.externalPolicyLocal()) {
            externalPolicyChain = localChain;
            hasExternal = hasExternal && !cat.local().isEmpty();
        }
        boolean usesExternalChain = hasEndpoints && svc.externallyAccessible();
        if (usesExternalChain) {
            ensureChain(tx, externalChain, created);
            rec.chains.add(externalChain);
        }
        String internalVerdict = null;
        String externalVerdict = null;
        if (!hasEndpoints) {
            internalVerdict = "goto " + REJECT_CHAIN;
            externalVerdict = "goto " + REJECT_CHAIN;
        } else {
            if (!hasInternal) {
                internalVerdict = "drop";
            }
            if (!hasExternal) {
                externalVerdict = "drop";
            }
        }
        boolean usesFw = !svc.loadBalancerVips().isEmpty() && !svc.loadBalancerSourceRanges().isEmpty();
        if (usesFw) {
            ensureChain(tx, fwChain, created);
            rec.chains.add(fwChain);
        }

        // chain rules
        if (hasInternal) {
            if (options.masqueradeAll()) {
                tx.rule(internalChain, ipX + " daddr " + svc.clusterIp() + " jump " + MARK_MASQ);
            } else if (clusterCidr != null) {
                tx.rule(internalChain, ipX + " daddr " + svc.clusterIp() + " " + ipX + " saddr != " + clusterCidr
                        + " jump " + MARK_MASQ);
            }
        }
        if (usesExternalChain) {
            if (!svc.externalPolicyLocal()) {
                tx.rule(externalChain, "jump " + MARK_MASQ);
            } else {
                if (clusterCidr != null) {
                    tx.rule(externalChain, ipX + " saddr " + clusterCidr + " goto " + clusterChain
                            + " comment \"short-circuit pod traffic\"");
                }
                tx.rule(externalChain, "fib saddr type local jump " + MARK_MASQ + " comment \"masquerade local traffic\"");
                tx.rule(externalChain, "fib saddr type local goto " + clusterChain
                        + " comment \"short-circuit local traffic\"");
            }
            if (hasExternal) {
                tx.rule(externalChain, "goto " + externalPolicyChain);
            }
        }
        if (usesFw) {
            StringBuilder sources = new StringBuilder();
            boolean allowFromNode = false;
            String nodeIp = primaryNodeIp();
            for (String range : svc.loadBalancerSourceRanges()) {
                Cidr c = Cidr.tryParse(range.trim());
                if (c == null) {
                    continue;
                }
                if (sources.length() > 0) {
                    sources.append(" , ");
                }
                sources.append(c);
                if (nodeIp != null && c.contains(nodeIp)) {
                    allowFromNode = true;
                }
            }
            if (allowFromNode) {
                for (String vip : svc.loadBalancerVips()) {
                    sources.append(" , ").append(vip);
                }
            }
            tx.rule(fwChain, ipX + " saddr != { " + sources + " } drop");
        }
        if (affinity) {
            for (String[] r : reachable) {
                tx.op("add set", r[3] + " { type " + addrType + " ; flags dynamic,timeout ; timeout "
                        + svc.sessionAffinity().timeoutSeconds() + "s ; }");
            }
        }
        if (usesClusterChain) {
            writeEndpointChoice(tx, clusterChain, cat.cluster(), epChain, affinity, name);
        }
        if (usesLocalChain) {
            writeEndpointChoice(tx, localChain, cat.local(), epChain, affinity, name);
        }
        for (String[] r : reachable) {
            tx.rule(r[2], ipX + " saddr " + r[0] + " jump " + MARK_MASQ);
            if (affinity) {
                tx.rule(r[2], "update @" + r[3] + " { " + ipX + " saddr }");
            }
            tx.rule(r[2], "meta l4proto " + protocol + " dnat to " + r[1]);
        }

        // elements
        ensureElement(tx, book, rec, name, CLUSTER_IPS, svc.clusterIp(), null, null);
        String key = svc.clusterIp() + " . " + protocol + " . " + port;
        if (hasInternal) {
            ensureElement(tx, book, rec, name, SERVICE_IPS, key, "goto " + internalChain, null);
        } else {
            ensureElement(tx, book, rec, name, NO_ENDPOINT_SERVICES, key, internalVerdict, nameString);
        }
        for (String ip : svc.externalIps()) {
            String k = ip + " . " + protocol + " . " + port;
            if (hasEndpoints) {
                ensureElement(tx, book, rec, name, SERVICE_IPS, k, "goto " + externalChain, null);
            }
            if (!hasExternal) {
                ensureElement(tx, book, rec, name, NO_ENDPOINT_SERVICES, k, externalVerdict, nameString);
            }
        }
        for (String vip : svc.loadBalancerVips()) {
            String k = vip + " . " + protocol + " . " + port;
            if (hasEndpoints) {
                ensureElement(tx, book, rec, name, SERVICE_IPS, k, "goto " + externalChain, null);
            }
            if (usesFw) {
                ensureElement(tx, book, rec, name, FIREWALL_IPS, k, "goto " + fwChain, null);
            }
        }
        if (!hasExternal) {
            for (String vip : svc.loadBalancerVips()) {
                ensureElement(tx, book, rec, name, NO_ENDPOINT_SERVICES, vip + " . " + protocol + " . " + port,
                        externalVerdict, nameString);
            }
        }
        if (svc.nodePort() != 0) {
            String k = protocol + " . " + svc.nodePort();
            if (hasEndpoints) {
                ensureElement(tx, book, rec, name, SERVICE_NODEPORTS, k, "goto " + externalChain, null);
            }
            if (!hasExternal) {
                ensureElement(tx, book, rec, name, NO_ENDPOINT_NODEPORTS, k, externalVerdict, nameString);
            }
        }
    }

    private void writeEndpointChoice(Tx tx, String chain, List<Endpoint> endpoints, Map<String, String> epChain,
            boolean affinity, ServicePortName name) {
        if (affinity) {
            for (Endpoint ep : endpoints) {
                String c = epChain.get(ep.toString());
                String set = NftNames.AFFINITY_PREFIX + c.substring(NftNames.ENDPOINT_PREFIX.length());
                tx.rule(chain, ipX + " saddr @" + set + " goto " + c);
            }
        }
        StringBuilder vmap = new StringBuilder("numgen random mod ").append(endpoints.size()).append(" vmap { ");
        for (int i = 0; i < endpoints.size(); i++) {
            if (i > 0) {
                vmap.append(" , ");
            }
            vmap.append(i).append(" : goto ").append(epChain.get(endpoints.get(i).toString()));
        }
        tx.rule(chain, vmap.append(" }").toString());
    }

    private String primaryNodeIp() {
        for (String ip : config.nodeIps()) {
            if (config.family().owns(ip)) {
                return ip;
            }
        }
        return null;
    }

    /** The transaction being written. */
    static final class Tx {
        private final StringBuilder sb = new StringBuilder();
        private final String prefix;
        int rules;
        int elementChanges;

        Tx(String prefix) {
            this.prefix = prefix;
        }

        void line(String s) {
            sb.append(s).append('\n');
        }

        /** {@code VERB ip kube-proxy ARGS}, e.g. {@code flush chain ip kube-proxy services}. */
        void op(String verb, String args) {
            sb.append(verb).append(prefix).append(args).append('\n');
        }

        void rule(String chain, String rule) {
            sb.append("add rule").append(prefix).append(chain).append(' ').append(rule).append('\n');
            rules++;
        }

        void element(String verb, String container, String key, String value, String comment) {
            sb.append(verb).append(" element").append(prefix).append(container).append(" { ").append(key);
            if (comment != null) {
                sb.append(" comment \"").append(comment).append('"');
            }
            if (value != null) {
                sb.append(" : ").append(value);
            }
            sb.append(" }\n");
            elementChanges++;
        }

        String text() {
            return sb.toString();
        }
    }
}
