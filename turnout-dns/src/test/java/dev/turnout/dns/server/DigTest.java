package dev.turnout.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.kubernetes.TestCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real {@code dig} against {@code turnout dns} on loopback, over UDP and TCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigTest {
    static final int BIG = 200;
    private StubUpstream upstream;
    private DnsServer server;
    private InetSocketAddress addr;

    @BeforeAll
    void up() throws Exception {
        upstream = new StubUpstream();
        List<Service> services = new ArrayList<>(TestCluster.services());
        services.add(new ServiceBuilder().withNewMetadata().withName("big").withNamespace("testns").endMetadata()
                .withNewSpec().withClusterIP("None").endSpec().build());
        services.add(new ServiceBuilder().withNewMetadata().withName("outside").withNamespace("testns").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("www.example.org").endSpec().build());
        List<EndpointSlice> slices = new ArrayList<>(TestCluster.slices());
        EndpointSliceBuilder big = new EndpointSliceBuilder().withNewMetadata().withName("big").withNamespace("testns")
                .withLabels(Map.of("kubernetes.io/service-name", "big")).endMetadata().withAddressType("IPv4");
        for (int i = 0; i < BIG; i++) {
            big.addToEndpoints(new EndpointBuilder().withAddresses("10.1." + (i / 250) + "." + (i % 250 + 1))
                    .withNewConditions().withReady(true).endConditions().build());
        }
        slices.add(big.build());
        DnsConfig config = DnsConfig.defaults(new InetSocketAddress("127.0.0.1", 0))
                .withUpstreams(List.of(upstream.address())).withHttp(new InetSocketAddress("127.0.0.1", 0));
        server = new DnsServer(config).start(new TestSource(services, slices, true));
        addr = server.udpAddress();
    }

    @AfterAll
    void down() {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void clusterIpOverUdpAndTcp() throws Exception {
        for (String transport : List.of("+notcp", "+tcp")) {
            String out = Dig.run(addr, "svc1.testns.svc.cluster.local", "A", transport);
            assertThat(Dig.status(out)).as(out).isEqualTo("NOERROR");
            assertThat(Dig.flags(out)).contains("aa");
            assertThat(Dig.section(out, "ANSWER")).containsExactly("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1");
        }
    }

    @Test
    void nxdomainCarriesTheSoa() throws Exception {
        String out = Dig.run(addr, "nope.testns.svc.cluster.local", "A");
        assertThat(Dig.status(out)).isEqualTo("NXDOMAIN");
        assertThat(Dig.section(out, "AUTHORITY")).singleElement().asString()
                .startsWith("cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local.");
    }

    @Test
    void srvWithAdditionalRecords() throws Exception {
        String out = Dig.run(addr, "_http._tcp.svc1.testns.svc.cluster.local", "SRV");
        assertThat(Dig.section(out, "ANSWER"))
                .containsExactly("_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.");
        assertThat(Dig.section(out, "ADDITIONAL")).contains("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1");
    }

    @Test
    void bigHeadlessIsTruncatedOverUdpAndCompleteOverTcp() throws Exception {
        String udp = Dig.run(addr, "big.testns.svc.cluster.local", "A", "+ignore", "+bufsize=4096");
        assertThat(Dig.flags(udp)).as(udp).contains("tc");
        assertThat(Dig.section(udp, "ANSWER")).isEmpty(); // cut at the RRset boundary: all or nothing
        String tcp = Dig.run(addr, "big.testns.svc.cluster.local", "A", "+tcp");
        assertThat(Dig.flags(tcp)).doesNotContain("tc");
        assertThat(Dig.section(tcp, "ANSWER")).hasSize(BIG);
        // without +ignore dig itself retries over TCP on TC
        String retried = Dig.run(addr, "big.testns.svc.cluster.local", "A");
        assertThat(retried).contains("Truncated, retrying in TCP mode");
        assertThat(Dig.section(retried, "ANSWER")).hasSize(BIG);
    }

    @Test
    void ednsAnswerCarriesOpt() throws Exception {
        String out = Dig.run(addr, "svc1.testns.svc.cluster.local", "A", "+edns=0", "+bufsize=1232");
        assertThat(out).contains("; EDNS: version: 0").contains("udp: 1232");
        String bad = Dig.run(addr, "svc1.testns.svc.cluster.local", "A", "+edns=1", "+noednsnegotiation");
        assertThat(Dig.status(bad)).isEqualTo("BADVERS");
    }

    @Test
    void refusedAndNotImplemented() throws Exception {
        String axfr = Dig.run(addr, "cluster.local", "AXFR");
        assertThat(axfr).as(axfr).contains("Transfer failed");
        assertThat(Dig.status(Dig.run(addr, "version.bind", "TXT", "CH"))).isEqualTo("REFUSED");
        assertThat(Dig.status(Dig.run(addr, "+opcode=status", "svc1.testns.svc.cluster.local"))).isEqualTo("NOTIMP");
    }

    @Test
    void headlessAnswersRotate() throws Exception {
        String a = Dig.run(addr, "hdls1.testns.svc.cluster.local", "A");
        String b = Dig.run(addr, "hdls1.testns.svc.cluster.local", "A");
        assertThat(Dig.section(a, "ANSWER")).hasSize(4).containsExactlyInAnyOrderElementsOf(Dig.section(b, "ANSWER"));
        assertThat(Dig.section(a, "ANSWER").get(0)).isNotEqualTo(Dig.section(b, "ANSWER").get(0));
    }

    @Test
    void casePreserved() throws Exception {
        String out = Dig.run(addr, "SVC1.TestNS.svc.Cluster.Local", "A");
        assertThat(Dig.section(out, "ANSWER")).containsExactly("SVC1.TestNS.svc.Cluster.Local. 5 IN A 10.0.0.1");
    }

    @Test
    void ptrAndTxt() throws Exception {
        assertThat(Dig.section(Dig.run(addr, "-x", "10.0.0.3"), "ANSWER"))
                .containsExactly("3.0.0.10.in-addr.arpa. 5 IN PTR svc-dual-stack.testns.svc.cluster.local.");
        assertThat(Dig.section(Dig.run(addr, "dns-version.cluster.local", "TXT"), "ANSWER"))
                .containsExactly("dns-version.cluster.local. 28800 IN TXT \"1.1.0\"");
    }

    @Test
    void otherNamesAreForwarded() throws Exception {
        String out = Dig.run(addr, "www.example.org", "A");
        assertThat(Dig.status(out)).isEqualTo("NOERROR");
        assertThat(Dig.flags(out)).doesNotContain("aa");
        assertThat(Dig.section(out, "ANSWER")).containsExactly("www.example.org. 60 IN A 192.0.2.1");
        String tcp = Dig.run(addr, "www.example.org", "A", "+tcp");
        assertThat(Dig.section(tcp, "ANSWER")).containsExactly("www.example.org. 60 IN A 192.0.2.1");
    }

    @Test
    void externalNameOutsideTheZoneIsChasedUpstream() throws Exception {
        String out = Dig.run(addr, "outside.testns.svc.cluster.local", "A");
        assertThat(Dig.section(out, "ANSWER")).containsExactly(
                "outside.testns.svc.cluster.local. 5 IN CNAME www.example.org.",
                "www.example.org. 60 IN A 192.0.2.1");
    }

    @Test
    void healthReadyAndMetrics() throws Exception {
        Dig.run(addr, "svc1.testns.svc.cluster.local", "A");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.httpAddress().getPort();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("coredns_dns_requests_total{server=\"dns://127.0.0.1:" + addr.getPort() + "\",zone=\"cluster.local.\"")
                .contains("coredns_dns_responses_total{").contains("coredns_dns_request_duration_seconds_bucket{")
                .contains("turnout_dns_services " + (TestCluster.services().size() + 2));
    }
}
