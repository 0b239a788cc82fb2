package dev.turnout.proxy.iptables;

import static dev.turnout.model.fixtures.Fixtures.ep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.Endpoint;
import dev.turnout.model.NodeInfo;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.proxy.ProxyState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compiler keeps rendered rules between syncs; that must never show in its output. */
class CompilerCacheTest {

    private static void assertSameAsFresh(IptablesCompiler longLived, SyncInput input) {
        CompiledRules reused = longLived.compile(input);
        CompiledRules fresh = new IptablesCompiler(GoldenCases.base()).compile(input);
        assertThat(reused.restoreInput()).isEqualTo(fresh.restoreInput());
        assertThat(reused.natRules()).isEqualTo(fresh.natRules());
        assertThat(reused.filterRules()).isEqualTo(fresh.filterRules());
        assertThat(reused.activeNatChains()).isEqualTo(fresh.activeNatChains());
    }

    private static ProxyState withNode(ProxyState s, String zone) {
        NodeInfo node = new NodeInfo("node-a", zone == null ? Map.of() : Map.of(NodeInfo.ZONE_LABEL, zone),
                List.of("10.0.0.1"));
        return new ProxyState(s.services(), s.endpoints(), node);
    }

    @Test
    void aLongLivedCompilerWritesWhatAFreshOneWrites() {
        IptablesCompiler c = new IptablesCompiler(GoldenCases.base());
        ProxyState small = ScaleTest.cluster(20, 3);
        assertSameAsFresh(c, SyncInput.full(small));
        assertSameAsFresh(c, SyncInput.full(small));

        // endpoints of one Service change (a new list with equal and different endpoints)
        Map<ServicePortName, List<Endpoint>> eps = new HashMap<>(small.endpoints());
        ServicePortName first = small.services().keySet().iterator().next();
        List<Endpoint> changed = new ArrayList<>(eps.get(first));
        changed.set(0, ep("10.99.0.1", 8080));
        eps.put(first, changed);
        ProxyState moved = new ProxyState(small.services(), eps, null);
        assertSameAsFresh(c, new SyncInput(moved, false, Set.of(first.namespacedName()), Set.of()));
        assertSameAsFresh(c, new SyncInput(moved, false, Set.of(), Set.of()));

        // a Service changes, one goes away (its endpoints stay), an equal but new ServicePort
        Map<ServicePortName, ServicePort> svcs = new HashMap<>(moved.services());
        ServicePort p = svcs.get(first);
        svcs.put(first, p.toBuilder().nodePort(31000).build());
        ServicePortName gone = new ArrayList<>(svcs.keySet()).get(5);
        svcs.remove(gone);
        ServicePortName copied = new ArrayList<>(svcs.keySet()).get(7);
        svcs.put(copied, svcs.get(copied).toBuilder().build());
        ProxyState edited = new ProxyState(svcs, eps, null);
        assertSameAsFresh(c, new SyncInput(edited, false, Set.of(first.namespacedName()),
                Set.of("KUBE-SVC-AAAAAAAAAAAAAAAA")));
        assertSameAsFresh(c, SyncInput.full(edited));

        // the node's zone appears and changes
        assertSameAsFresh(c, SyncInput.full(withNode(edited, "zone-a")));
        assertSameAsFresh(c, SyncInput.full(withNode(edited, "zone-b")));
        assertSameAsFresh(c, SyncInput.full(edited));

        // past 1000 endpoints the per-endpoint comments go, and come back
        ProxyState large = ScaleTest.cluster(120, 10);
        assertSameAsFresh(c, SyncInput.full(large));
        assertSameAsFresh(c, new SyncInput(small, false, Set.of(), Set.of()));
        assertSameAsFresh(c, SyncInput.full(small));
        assertSameAsFresh(c, SyncInput.full(ProxyState.EMPTY));
        assertSameAsFresh(c, SyncInput.full(small));
    }
}
