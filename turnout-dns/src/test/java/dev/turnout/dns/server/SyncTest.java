package dev.turnout.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.kubernetes.TestCluster;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Before the source has synced, a name that would be NXDOMAIN is SERVFAIL; known names answer. */
class SyncTest {
    @Test
    void servfailUntilSynced() throws Exception {
        TestSource source = new TestSource(TestCluster.services(), TestCluster.slices(), false);
        try (DnsServer server = new DnsServer(DnsConfig.defaults(new InetSocketAddress("127.0.0.1", 0))).start(source)) {
            InetSocketAddress a = server.udpAddress();
            assertThat(Dig.status(Dig.run(a, "svc0.testns.svc.cluster.local", "A"))).isEqualTo("SERVFAIL");
            assertThat(Dig.status(Dig.run(a, "svc1.testns.svc.cluster.local", "A"))).isEqualTo("NOERROR");
            source.synced();
            assertThat(Dig.status(Dig.run(a, "svc0.testns.svc.cluster.local", "A"))).isEqualTo("NXDOMAIN");
            // without upstreams, other names are refused
            assertThat(Dig.status(Dig.run(a, "www.example.org", "A"))).isEqualTo("REFUSED");
        }
    }
}
