package dev.turnout.dns.kubernetes;

import dev.turnout.dns.PodsMode;
import dev.turnout.model.Ips;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The cluster zone as the Kubernetes DNS-Based Service Discovery spec (kubernetes/dns
 * docs/specification.md, schema 1.1.0) and CoreDNS's kubernetes plugin answer it:
 * <ul>
 * <li>{@code svc.ns.svc.zone}: A/AAAA of the cluster IPs, or of the ready endpoints when headless;
 *     CNAME for ExternalName; SRV for every port;</li>
 * <li>{@code label.svc.ns.svc.zone}: a headless Service's endpoint by hostname or dashed IP;</li>
 * <li>{@code _port._proto.svc.ns.svc.zone}: SRV of a named port, targets in the additional section;</li>
 * <li>{@code a-b-c-d.ns.pod.zone} per {@link PodsMode}; {@code dns-version.zone} TXT; SOA and NS at the apex;</li>
 * <li>PTR for cluster IPs, else for endpoints of any Service (as CoreDNS's reverse.go).</li>
 * </ul>
 * A name that exists with no record of the type asked is NODATA, a name that does not exist is
 * NXDOMAIN; both carry the zone's SOA in the authority section (RFC 2308). Until the source has
 * synced, NXDOMAIN becomes SERVFAIL so that clients retry rather than cache a negative answer.
 */
public final class KubernetesZone {
    /** The schema version the spec's {@code dns-version} record names. */
    public static final String SCHEMA_VERSION = "1.1.0";
    private static final long TXT_TTL = 28800;
    private static final int MAX_CHASE = 8;

    private final Name zone;
    private final long ttl;
    private final PodsMode pods;
    private final DnsIndex index;
    private final List<InetAddress> nsIps;
    private final Name nsName;
    private final Name hostmaster;
    private final AtomicInteger rotation = new AtomicInteger();

    /** @param nsIps the addresses of {@code ns.dns.zone}, the glue of the NS record (may be empty) */
    public KubernetesZone(Name zone, long ttl, PodsMode pods, DnsIndex index, List<InetAddress> nsIps) {
        this.zone = zone;
        this.ttl = ttl;
        this.pods = pods;
        this.index = index;
        this.nsIps = List.copyOf(nsIps);
        this.nsName = rel("ns.dns");
        this.hostmaster = rel("hostmaster");
    }

    public Name zone() {
        return zone;
    }

    public DnsIndex index() {
        return index;
    }

    /** The answer for a question, or null when this zone does not own the name (forward it). */
    public ZoneAnswer answer(Name qname, int qtype) {
        if (Reverse.isReverse(qname)) {
            return qtype == Type.PTR ? ptr(qname) : null;
        }
        if (!qname.subdomain(zone)) {
            return null;
        }
        ZoneAnswer a = lookup(qname, qtype, 0);
        if (a.rcode() == Rcode.NXDOMAIN && !index.synced()) {
            return new ZoneAnswer(Rcode.SERVFAIL, List.of(), List.of(), List.of());
        }
        return a;
    }

    private ZoneAnswer lookup(Name qname, int qtype, int depth) {
        int n = qname.labels() - zone.labels();
        String[] r = new String[n];
        for (int i = 0; i < n; i++) {
            // r[0] is the label next to the zone, r[n-1] the leftmost
            r[n - 1 - i] = qname.getLabelString(i).toLowerCase(Locale.ROOT);
        }
        if (n == 0) {
            return apex(qtype);
        }
        switch (r[0]) {
            case "svc":
                return services(qname, qtype, r, depth);
            case "pod":
                return pod(qname, qtype, r);
            case "dns-version":
                if (n != 1) {
                    return nxdomain();
                }
                return qtype == Type.TXT || qtype == Type.ANY
                        ? ZoneAnswer.of(List.of(new TXTRecord(qname, DClass.IN, TXT_TTL, SCHEMA_VERSION)), List.of())
                        : nodata();
            case "dns":
                if (n == 1) {
                    return nodata();
                }
                if (n == 2 && r[1].equals("ns")) {
                    List<Record> a = addresses(qname, nsIps, qtype);
                    return a.isEmpty() ? nodata() : ZoneAnswer.of(a, List.of());
                }
                return nxdomain();
            default:
                return nxdomain();
        }
    }

    private ZoneAnswer apex(int qtype) {
        if (qtype == Type.SOA) {
            return ZoneAnswer.of(List.of(soa()), List.of());
        }
        if (qtype == Type.NS) {
            return ZoneAnswer.of(List.of(new NSRecord(zone, DClass.IN, ttl, nsName)), addresses(nsName, nsIps, Type.ANY));
        }
        return nodata();
    }

    private ZoneAnswer services(Name qname, int qtype, String[] r, int depth) {
        int n = r.length;
        if (n == 1) {
            return nodata();
        }
        if (!index.namespaceExists(r[1])) {
            return nxdomain();
        }
        if (n == 2) {
            return nodata();
        }
        ServiceEntry svc = index.service(r[1], r[2]);
        if (svc == null || n > 5) {
            return nxdomain();
        }
        if (svc.kind() == ServiceEntry.Kind.HEADLESS && svc.endpoints().isEmpty()) {
            // no ready endpoints: the name and everything below it are gone (NXDOMAIN, as kube-dns and
            // CoreDNS answer and the spec says since kubernetes/dns#245)
            return nxdomain();
        }
        if (n == 3) {
            return service(qname, qtype, svc, depth);
        }
        if (svc.kind() == ServiceEntry.Kind.EXTERNAL_NAME) {
            // names below an ExternalName do not exist (CoreDNS handler_test "endpoint.external")
            return nxdomain();
        }
        if (n == 4) {
            return endpoint(qname, qtype, svc, r[3]);
        }
        // n == 5: _port._proto.svc.ns.svc.zone (spec 2.3.1 / 2.4.1), named ports only
        String proto = r[3];
        String port = r[4];
        if (!proto.startsWith("_") || !port.startsWith("_") || port.length() < 2) {
            return nxdomain();
        }
        List<ServiceEntry.Port> ports = new ArrayList<>();
        for (ServiceEntry.Port p : svc.ports()) {
            if (!p.name().isEmpty() && p.name().equals(port.substring(1)) && p.protocol().equals(proto.substring(1))) {
                ports.add(p);
            }
        }
        if (ports.isEmpty()) {
            return nxdomain();
        }
        return qtype == Type.SRV ? srv(qname, svc, ports) : nodata();
    }

    private ZoneAnswer service(Name qname, int qtype, ServiceEntry svc, int depth) {
        if (svc.kind() == ServiceEntry.Kind.EXTERNAL_NAME) {
            return externalName(qname, qtype, svc, depth);
        }
        if (qtype == Type.SRV) {
            return srv(qname, svc, svc.ports());
        }
        List<Record> answer = rotate(addresses(qname, serviceAddresses(svc), qtype));
        return answer.isEmpty() ? nodata() : ZoneAnswer.of(answer, List.of());
    }

    private ZoneAnswer externalName(Name qname, int qtype, ServiceEntry svc, int depth) {
        Name target;
        try {
            target = Name.fromString(svc.externalName(), Name.root);
        } catch (TextParseException e) {
            return nodata();
        }
        List<Record> answer = new ArrayList<>();
        answer.add(new CNAMERecord(qname, DClass.IN, ttl, target));
        if (qtype != Type.CNAME && target.subdomain(zone) && depth < MAX_CHASE) {
            // chase an in-zone target, as CoreDNS does for ExternalName to a cluster Service
            ZoneAnswer chased = lookup(target, qtype, depth + 1);
            answer.addAll(chased.answer());
        }
        return ZoneAnswer.of(answer, List.of());
    }

    private ZoneAnswer endpoint(Name qname, int qtype, ServiceEntry svc, String label) {
        if (svc.kind() != ServiceEntry.Kind.HEADLESS) {
            return nxdomain();
        }
        List<InetAddress> ips = new ArrayList<>();
        for (ServiceEntry.Ep ep : svc.endpoints()) {
            if (ep.label().equals(label)) {
                ips.add(ep.ip());
            }
        }
        if (ips.isEmpty()) {
            return nxdomain();
        }
        List<Record> answer = rotate(addresses(qname, ips, qtype));
        return answer.isEmpty() ? nodata() : ZoneAnswer.of(answer, List.of());
    }

    /**
     * SRV as CoreDNS writes it: priority 0, weight 100 divided by the number of (port, address)
     * pairs, one record per distinct (target, port); the targets' addresses go in the additional
     * section. A ClusterIP Service targets its own name, a headless one each endpoint's name.
     */
    private ZoneAnswer srv(Name qname, ServiceEntry svc, List<ServiceEntry.Port> ports) {
        Name svcName = rel(svc.name() + "." + svc.namespace() + ".svc");
        List<Target> targets = new ArrayList<>();
        if (svc.kind() == ServiceEntry.Kind.HEADLESS) {
            for (ServiceEntry.Ep ep : svc.endpoints()) {
                Name t = child(ep.label(), svcName);
                if (t != null) {
                    targets.add(new Target(t, ep.ip()));
                }
            }
        } else {
            svc.clusterIps().forEach(ip -> targets.add(new Target(svcName, ip)));
        }
        int count = ports.size() * targets.size();
        if (count == 0) {
            return nodata();
        }
        int weight = 100 / count;
        Set<Record> answer = new LinkedHashSet<>();
        Set<Record> extra = new LinkedHashSet<>();
        for (ServiceEntry.Port p : ports) {
            for (Target t : targets) {
                answer.add(new SRVRecord(qname, DClass.IN, ttl, 0, weight, p.port(), t.name));
                extra.addAll(addresses(t.name, List.of(t.ip), Type.ANY));
            }
        }
        return ZoneAnswer.of(new ArrayList<>(answer), new ArrayList<>(extra));
    }

    private record Target(Name name, InetAddress ip) {
    }

    private ZoneAnswer pod(Name qname, int qtype, String[] r) {
        int n = r.length;
        if (n == 1) {
            return nodata();
        }
        if (pods == PodsMode.disabled || n > 3) {
            return nxdomain();
        }
        if (n == 2) {
            return nodata();
        }
        InetAddress ip = podIp(r[2]);
        if (ip == null || (pods == PodsMode.verified && !index.isPod(r[1], ip))) {
            return nxdomain();
        }
        List<Record> answer = addresses(qname, List.of(ip), qtype);
        return answer.isEmpty() ? nodata() : ZoneAnswer.of(answer, List.of());
    }

    /** {@code 1-2-3-4} → 1.2.3.4; {@code 5678-abcd--1} → 5678:abcd::1; anything else null. */
    static InetAddress podIp(String label) {
        String v4 = label.replace('-', '.');
        InetAddress a = v4.chars().filter(c -> c == '.').count() == 3 ? Ips.parse(v4) : null;
        if (a instanceof Inet4Address) {
            return a;
        }
        a = label.contains("-") ? Ips.parse(label.replace('-', ':')) : null;
        return a instanceof Inet6Address ? a : null;
    }

    private ZoneAnswer ptr(Name qname) {
        InetAddress ip = Reverse.ipOf(qname);
        List<DnsIndex.PtrOwner> owners = ip == null ? List.of() : index.owners(ip);
        if (owners.isEmpty()) {
            return null;
        }
        // a cluster IP names one Service alone (the first by namespace/name, should two share it);
        // only when no Service has it are endpoints searched (CoreDNS reverse.go serviceRecordForIP)
        DnsIndex.PtrOwner service = null;
        for (DnsIndex.PtrOwner o : owners) {
            if (o.endpointLabel() == null && (service == null
                    || (o.namespace() + "/" + o.service()).compareTo(service.namespace() + "/" + service.service()) < 0)) {
                service = o;
            }
        }
        if (service != null) {
            owners = List.of(service);
        }
        List<Record> answer = new ArrayList<>();
        for (DnsIndex.PtrOwner o : owners) {
            Name svcName = rel(o.service() + "." + o.namespace() + ".svc");
            Name target = o.endpointLabel() == null ? svcName : child(o.endpointLabel(), svcName);
            if (target != null) {
                answer.add(new PTRRecord(qname, DClass.IN, ttl, target));
            }
        }
        return ZoneAnswer.of(new ArrayList<>(new LinkedHashSet<>(answer)), List.of());
    }

    private List<InetAddress> serviceAddresses(ServiceEntry svc) {
        if (svc.kind() == ServiceEntry.Kind.CLUSTER_IP) {
            return svc.clusterIps();
        }
        List<InetAddress> ips = new ArrayList<>(svc.endpoints().size());
        for (ServiceEntry.Ep ep : svc.endpoints()) {
            if (!ips.contains(ep.ip())) {
                ips.add(ep.ip());
            }
        }
        return ips;
    }

    /** A records for A, AAAA for AAAA, both for ANY; nothing for other types. */
    private List<Record> addresses(Name owner, List<InetAddress> ips, int qtype) {
        List<Record> out = new ArrayList<>();
        for (InetAddress ip : ips) {
            Record rec = Records.address(owner, ip, ttl);
            if (qtype == Type.ANY || rec.getType() == qtype) {
                out.add(rec);
            }
        }
        return out;
    }

    /** Starts each answer at the next record, as CoreDNS's loadbalance plugin spreads clients. */
    private List<Record> rotate(List<Record> records) {
        int n = records.size();
        if (n < 2) {
            return records;
        }
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(records.get((start + i) % n));
        }
        return out;
    }

    public SOARecord soa() {
        return new SOARecord(zone, DClass.IN, ttl, nsName, hostmaster, index.modified(), 7200, 1800, 86400, ttl);
    }

    private ZoneAnswer nodata() {
        return new ZoneAnswer(Rcode.NOERROR, List.of(), List.of(soa()), List.of());
    }

    private ZoneAnswer nxdomain() {
        return new ZoneAnswer(Rcode.NXDOMAIN, List.of(), List.of(soa()), List.of());
    }

    private Name rel(String relative) {
        try {
            return Name.fromString(relative, zone);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + relative, e);
        }
    }

    private static Name child(String label, Name parent) {
        try {
            return Name.fromString(label, parent);
        } catch (TextParseException e) {
            return null; // a hostname that does not fit as a label: no record, as for any bad name
        }
    }
}
