package dev.turnout.proxy.nftables;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import dev.turnout.proxy.iptables.Golden;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.UpstreamConformanceTest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Upstream's TestOverallNFTablesRules (pkg/proxy/nftables/proxier_test.go): the same Services as
 * its iptables twin, on upstream's fake proxier (node 192.168.0.2, pods 10.0.0.0/8, Service CIDR
 * 172.30.0.0/16, --nodeport-addresses 192.168.0.2/32, mark 0x4000). Upstream compares the
 * resulting table, not the transaction; we compare the table our transaction leaves: without
 * flushes and the once-only recreation of base chains, lines sorted (golden/upstream/).
 */
class NftUpstreamConformanceTest {
    static NftablesCompiler fakeProxier() {
        IptablesConfig config = new IptablesConfig(IpFamily.IPv4, "test-node", List.of("192.168.0.2"),
                List.of(Cidr.parse("10.0.0.0/8")), 14, List.of(Cidr.parse("192.168.0.2/32")), false, false);
        return new NftablesCompiler(config, new NftablesOptions(false, true, "0x4000",
                List.of(Cidr.parse("172.30.0.0/16"))));
    }

    @Test
    void testOverallNFTablesRules() {
        NftTransaction tx = fakeProxier().compile(NftSyncInput.full(UpstreamConformanceTest.overallState()));
        Golden.assertSameText("TestOverallNFTablesRules", tableOf(Golden.read("upstream/nftables-overall.nft")),
                tableOf(tx.text()));
    }

    /** The objects a transaction leaves in an empty table, one line each, sorted. */
    static String tableOf(String transaction) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> deleted = new LinkedHashSet<>();
        for (String line : transaction.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("flush ")) {
                continue;
            }
            if (line.startsWith("delete chain ")) {
                deleted.add(line.substring("delete chain ".length()));
                continue;
            }
            out.add(line);
        }
        // "add chain X" + "delete chain X" (base chains recreated once): the later full add stays
        out.removeIf(l -> l.startsWith("add chain ") && deleted.contains(l.substring("add chain ".length())));
        List<String> sorted = new ArrayList<>(out);
        sorted.sort(null);
        return String.join("\n", sorted) + "\n";
    }
}
