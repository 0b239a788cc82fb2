package dev.turnout.proxy.iptables;

import static dev.turnout.model.fixtures.Fixtures.ep;
import static dev.turnout.model.fixtures.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxyState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Large clusters: upstream's large-cluster mode, and our compile time. */
class ScaleTest {

    static ProxyState cluster(int services, int endpointsEach) {
        Map<ServicePortName, ServicePort> svcs = new HashMap<>();
        Map<ServicePortName, List<Endpoint>> eps = new HashMap<>();
        for (int s = 0; s < services; s++) {
            ServicePort p = tcp("ns" + (s % 50), "svc" + s, "http", "172.30." + (s / 250) + "." + (s % 250), 80)
                    .nodePort(s % 4 == 0 ? 30000 + (s % 2000) : 0).build();
            svcs.put(p.name(), p);
            List<Endpoint> list = new ArrayList<>();
            for (int e = 0; e < endpointsEach; e++) {
                int n = s * endpointsEach + e;
                list.add(ep("10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255), 8080));
            }
            eps.put(p.name(), list);
        }
        return new ProxyState(svcs, eps, null);
    }

    @Test
    void aboveOneThousandEndpointsPerEndpointCommentsAreDropped() {
        CompiledRules small = new IptablesCompiler(GoldenCases.base()).compile(SyncInput.full(cluster(100, 10)));
        CompiledRules large = new IptablesCompiler(GoldenCases.base()).compile(SyncInput.full(cluster(101, 10)));
        assertThat(small.restoreInput()).contains("-A KUBE-SEP-").contains("--comment ns0/svc0:http -s");
        assertThat(large.restoreInput()).doesNotContain("\" -> ").doesNotContain("--comment ns0/svc0:http -s")
                .contains("--comment \"ns0/svc0:http cluster IP\"");
        assertThat(RuleChecks.problems(large.restoreInput())).isEmpty();
    }

    @Test
    void tenThousandServicesWithTenEndpointsCompileToConsistentRules() {
        // Only the shape is checked here; compile time is measured by the JMH benchmark (turnout bench).
        ProxyState state = cluster(10_000, 10);
        CompiledRules out = new IptablesCompiler(GoldenCases.base()).compile(SyncInput.full(state));
        assertThat(out.natRules()).isEqualTo(RuleChecks.count(out.restoreInput(), "nat"));
        assertThat(out.activeNatChains()).hasSizeGreaterThan(10_000 * 11);
    }
}
