package dev.turnout.proxy.nftables;

import static dev.turnout.model.fixtures.Fixtures.ep;
import static dev.turnout.model.fixtures.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.iptables.StateBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A partial sync writes the same transaction whether the table holds 1 or 5,000 other Services:
 * only the changed Service's chains and elements (no timing here; see turnout bench nftables).
 */
class NftPartialSyncScaleTest {
    private static StateBuilder cluster(int others) {
        StateBuilder s = new StateBuilder();
        for (int i = 0; i < others; i++) {
            s.add(tcp("bulk", "svc-" + i, "http", "10.96." + (i / 250) + "." + (i % 250 + 1), 80).nodePort(i % 10 == 0 ? 30000 + i % 2000 : 0),
                    ep("10.244." + (i / 250) + "." + (i % 250 + 1), 8080));
        }
        return s;
    }

    private static String[] partials(int others) {
        NftablesCompiler c = new NftablesCompiler(NftGoldenCases.base());
        KernelBook book = new KernelBook();
        StateBuilder s = cluster(others);
        c.compile(NftSyncInput.full(s.build()), book);
        ProxyState added = s.add(tcp("ns1", "new", "p80", "172.30.0.1", 80), ep("10.180.0.1", 80),
                ep("10.180.0.2", 80)).build();
        String add = c.compile(NftSyncInput.partial(added, Set.of("ns1/new")), book).text();
        ProxyState moved = s.add(tcp("ns1", "new", "p80", "172.30.0.1", 80), ep("10.180.0.1", 80),
                ep("10.180.0.3", 80)).build();
        String change = c.compile(NftSyncInput.partial(moved, Set.of("ns1/new")), book).text();
        ProxyState gone = s.remove("ns1/new").build();
        String delete = c.compile(NftSyncInput.partial(gone, Set.of("ns1/new")), book).text();
        return new String[] {add, change, delete};
    }

    @Test
    void aPartialTransactionDoesNotGrowWithTheCluster() {
        String[] small = partials(1);
        String[] big = partials(5000);
        assertThat(big).containsExactly(small);
        assertThat(small[0]).contains("add element ip kube-proxy service-ips { 172.30.0.1 . tcp . 80 : goto service-")
                .doesNotContain("bulk/");
        assertThat(small[1]).contains("dnat to 10.180.0.3:80").contains("flush chain ip kube-proxy endpoint-")
                .doesNotContain("add element");
        assertThat(small[2]).contains("delete element ip kube-proxy service-ips { 172.30.0.1 . tcp . 80 }");
    }
}
