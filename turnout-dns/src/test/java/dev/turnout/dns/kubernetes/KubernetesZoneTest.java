package dev.turnout.dns.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.dns.PodsMode;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The zone's answers against expectations written as zone-file text, mirroring CoreDNS's
 * plugin/kubernetes handler_test.go cases, plus not-ready endpoints, pods, PTR and case.
 */
class KubernetesZoneTest {
    static final String SOA = "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5";

    record Case(String qname, String qtype, int rcode, String answer, String authority, String extra) {
        @Override
        public String toString() {
            return qname + " " + qtype;
        }
    }

    static Case ok(String qname, String qtype, String answer) {
        return new Case(qname, qtype, Rcode.NOERROR, answer, "", "");
    }

    static Case ok(String qname, String qtype, String answer, String extra) {
        return new Case(qname, qtype, Rcode.NOERROR, answer, "", extra);
    }

    static Case nodata(String qname, String qtype) {
        return new Case(qname, qtype, Rcode.NOERROR, "", SOA, "");
    }

    static Case nx(String qname, String qtype) {
        return new Case(qname, qtype, Rcode.NXDOMAIN, "", SOA, "");
    }

    static Stream<Case> cases() {
        return Stream.of(
                ok("svc1.testns.svc.cluster.local.", "A", "svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"),
                ok("svcempty.testns.svc.cluster.local.", "A", "svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.1"),
                ok("svc1.testns.svc.cluster.local.", "SRV",
                        "svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.",
                        "svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"),
                ok("svc6.testns.svc.cluster.local.", "SRV",
                        "svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.",
                        "svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1"),
                ok("_http._tcp.svc1.testns.svc.cluster.local.", "SRV",
                        "_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.",
                        "svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1"),
                ok("svc-two-ports.testns.svc.cluster.local.", "SRV", """
                        svc-two-ports.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-two-ports.testns.svc.cluster.local.
                        svc-two-ports.testns.svc.cluster.local. 5 IN SRV 0 50 53 svc-two-ports.testns.svc.cluster.local.
                        """, "svc-two-ports.testns.svc.cluster.local. 5 IN A 10.0.0.4"),
                ok("_dns._udp.svc-two-ports.testns.svc.cluster.local.", "SRV",
                        "_dns._udp.svc-two-ports.testns.svc.cluster.local. 5 IN SRV 0 100 53 svc-two-ports.testns.svc.cluster.local.",
                        "svc-two-ports.testns.svc.cluster.local. 5 IN A 10.0.0.4"),
                nx("_dns._tcp.svc-two-ports.testns.svc.cluster.local.", "SRV"),
                nodata("_http._tcp.svc1.testns.svc.cluster.local.", "A"),
                ok("hdls1.testns.svc.cluster.local.", "A", """
                        hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2
                        hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3
                        hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4
                        hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5
                        """),
                ok("hdlsprtls.testns.svc.cluster.local.", "A", "hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20"),
                ok("172-0-0-20.hdlsprtls.testns.svc.cluster.local.", "A",
                        "172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20"),
                ok("172-0-0-2.hdls1.testns.svc.cluster.local.", "A", "172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2"),
                ok("dup-name.hdls1.testns.svc.cluster.local.", "A", """
                        dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4
                        dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5
                        """),
                ok("_http._tcp.hdls1.testns.svc.cluster.local.", "SRV", """
                        _http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.
                        _http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.
                        _http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.
                        _http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.
                        _http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 dup-name.hdls1.testns.svc.cluster.local.
                        """, """
                        172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2
                        172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3
                        5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1
                        5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2
                        dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4
                        dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5
                        """),
                ok("5678-abcd--2.hdls1.testns.svc.cluster.local.", "AAAA",
                        "5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2"),
                ok("hdls1.testns.svc.cluster.local.", "AAAA", """
                        hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1
                        hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2
                        """),
                ok("external.testns.svc.cluster.local.", "CNAME", "external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."),
                ok("external.testns.svc.cluster.local.", "A", "external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test."),
                ok("external-to-service.testns.svc.cluster.local.", "A", """
                        external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.
                        svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1
                        """),
                nx("endpoint.external.testns.svc.cluster.local.", "CNAME"),
                nodata("svc1.testns.svc.cluster.local.", "AAAA"),
                nx("svc0.testns.svc.cluster.local.", "AAAA"),
                nx("svc0.testns.svc.cluster.local.", "A"),
                nx("svc0.svc-nons.svc.cluster.local.", "A"),
                ok("dns-version.cluster.local.", "TXT", "dns-version.cluster.local. 28800 IN TXT \"1.1.0\""),
                nx("bogusendpoint.hdls1.testns.svc.cluster.local.", "A"),
                nx("bogusendpoint.svc0.testns.svc.cluster.local.", "A"),
                // an endpoint name of a ClusterIP Service does not exist (spec: headless only)
                nx("172-0-3-1.svc1.testns.svc.cluster.local.", "A"),
                ok("svc6.testns.svc.cluster.local.", "AAAA", "svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1"),
                nodata("svc.cluster.local.", "A"),
                nodata("pod.cluster.local.", "A"),
                nodata("testns.svc.cluster.local.", "A"),
                nodata("svc.cluster.local.", "NS"),
                nodata("testns.svc.cluster.local.", "NS"),
                nx("foo.cluster.local.", "NS"),
                nx("foo.svc.cluster.local.", "NS"),
                ok("svc-dual-stack.testns.svc.cluster.local.", "A", "svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3"),
                ok("svc-dual-stack.testns.svc.cluster.local.", "AAAA", "svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3"),
                ok("svc-dual-stack.testns.svc.cluster.local.", "SRV",
                        "svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.", """
                        svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3
                        svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3
                        """),
                nodata("svc1.testns.svc.cluster.local.", "SOA"),
                ok("cluster.local.", "SOA", SOA),
                ok("cluster.local.", "NS", "cluster.local. 5 IN NS ns.dns.cluster.local.",
                        "ns.dns.cluster.local. 5 IN A 10.96.0.10"),
                ok("ns.dns.cluster.local.", "A", "ns.dns.cluster.local. 5 IN A 10.96.0.10"),
                nodata("cluster.local.", "A"),
                // not-ready endpoints are left out unless the Service publishes them
                ok("notready.testns.svc.cluster.local.", "A", "notready.testns.svc.cluster.local. 5 IN A 172.0.1.1"),
                nx("172-0-1-2.notready.testns.svc.cluster.local.", "A"),
                ok("publishnotready.testns.svc.cluster.local.", "A", """
                        publishnotready.testns.svc.cluster.local. 5 IN A 172.0.2.1
                        publishnotready.testns.svc.cluster.local. 5 IN A 172.0.2.2
                        """),
                nx("empty-headless.testns.svc.cluster.local.", "A"),
                nx("allnotready.testns.svc.cluster.local.", "A"),
                nx("_http._tcp.allnotready.testns.svc.cluster.local.", "SRV"),
                nodata("hdlsprtls.testns.svc.cluster.local.", "AAAA"),
                // case is preserved in the answer (RFC 4343)
                ok("SVC1.TestNS.svc.Cluster.Local.", "A", "SVC1.TestNS.svc.Cluster.Local. 5 IN A 10.0.0.1"),
                // PTR: cluster IPs and headless endpoints
                // a cluster IP names one Service (the first that has it), endpoints of any Service follow
                ok("1.0.0.10.in-addr.arpa.", "PTR", "1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local."),
                ok("1.3.0.172.in-addr.arpa.", "PTR", "1.3.0.172.in-addr.arpa. 5 IN PTR 172-0-3-1.svc1.testns.svc.cluster.local."),
                ok("4.0.0.172.in-addr.arpa.", "PTR", "4.0.0.172.in-addr.arpa. 5 IN PTR dup-name.hdls1.testns.svc.cluster.local."),
                ok("2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.", "PTR",
                        "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. 5 IN PTR 5678-abcd--2.hdls1.testns.svc.cluster.local."),
                // pods are disabled by default
                nx("172-0-0-2.testns.pod.cluster.local.", "A"));
    }

    private static final DnsIndex INDEX = TestCluster.index();

    static KubernetesZone zone(PodsMode pods) throws Exception {
        return new KubernetesZone(Name.fromString("cluster.local."), 5, pods, INDEX,
                List.of(InetAddress.getByName("10.96.0.10")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answers(Case c) throws Exception {
        ZoneAnswer a = zone(PodsMode.disabled).answer(Name.fromString(c.qname()), Type.value(c.qtype()));
        assertThat(a).as("answered").isNotNull();
        assertThat(Rcode.string(a.rcode())).isEqualTo(Rcode.string(c.rcode()));
        assertThat(ZoneTexts.lines(a.answer())).as("answer").isEqualTo(ZoneTexts.lines(ZoneTexts.parse(c.answer())));
        assertThat(ZoneTexts.lines(a.authority())).as("authority").isEqualTo(ZoneTexts.lines(ZoneTexts.parse(c.authority())));
        assertThat(ZoneTexts.lines(a.additional())).as("additional").isEqualTo(ZoneTexts.lines(ZoneTexts.parse(c.extra())));
    }

    static Stream<Object[]> podCases() {
        return Stream.of(
                new Object[] {PodsMode.insecure, "10-9-8-7.anyns.pod.cluster.local.", "A", Rcode.NOERROR,
                        "10-9-8-7.anyns.pod.cluster.local. 5 IN A 10.9.8.7"},
                new Object[] {PodsMode.insecure, "5678-abcd--1.anyns.pod.cluster.local.", "AAAA", Rcode.NOERROR,
                        "5678-abcd--1.anyns.pod.cluster.local. 5 IN AAAA 5678:abcd::1"},
                new Object[] {PodsMode.insecure, "not-an-ip.anyns.pod.cluster.local.", "A", Rcode.NXDOMAIN, ""},
                new Object[] {PodsMode.verified, "172-0-0-2.testns.pod.cluster.local.", "A", Rcode.NOERROR,
                        "172-0-0-2.testns.pod.cluster.local. 5 IN A 172.0.0.2"},
                new Object[] {PodsMode.verified, "172-0-0-2.otherns.pod.cluster.local.", "A", Rcode.NXDOMAIN, ""},
                new Object[] {PodsMode.verified, "10-9-8-7.testns.pod.cluster.local.", "A", Rcode.NXDOMAIN, ""},
                new Object[] {PodsMode.disabled, "10-9-8-7.testns.pod.cluster.local.", "A", Rcode.NXDOMAIN, ""});
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("podCases")
    void pods(PodsMode mode, String qname, String qtype, int rcode, String answer) throws Exception {
        ZoneAnswer a = zone(mode).answer(Name.fromString(qname), Type.value(qtype));
        assertThat(a.rcode()).isEqualTo(rcode);
        assertThat(ZoneTexts.lines(a.answer())).isEqualTo(ZoneTexts.lines(ZoneTexts.parse(answer)));
    }
}
