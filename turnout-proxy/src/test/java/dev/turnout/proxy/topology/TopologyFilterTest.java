package dev.turnout.proxy.topology;

import static dev.turnout.model.fixtures.Fixtures.ep;
import static dev.turnout.model.fixtures.Fixtures.local;
import static dev.turnout.model.fixtures.Fixtures.nodeHinted;
import static dev.turnout.model.fixtures.Fixtures.notReady;
import static dev.turnout.model.fixtures.Fixtures.tcp;
import static dev.turnout.model.fixtures.Fixtures.terminating;
import static dev.turnout.model.fixtures.Fixtures.zoneHinted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases after upstream's TestCategorizeEndpoints, named for what they specify. */
class TopologyFilterTest {
    private static final ServicePort CLUSTER = tcp("ns", "svc", "p", "172.30.0.1", 80).build();
    private static final ServicePort ITP_LOCAL = tcp("ns", "svc", "p", "172.30.0.1", 80).internalPolicyLocal(true).build();
    private static final ServicePort ETP_LOCAL = tcp("ns", "svc", "p", "172.30.0.1", 80).nodePort(30080)
            .externalPolicyLocal(true).build();

    record Case(String name, ServicePort svc, List<Endpoint> eps, String zone, boolean sameNodeGate,
            List<String> cluster, List<String> local, List<String> all, boolean hasAny) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Endpoint a = ep("10.0.0.1", 80);
        Endpoint b = local("10.0.0.2", 80);
        Endpoint c = ep("10.0.0.3", 80);
        return Stream.of(
                new Case("no endpoints means nothing is usable anywhere", CLUSTER, List.of(), "z1", true,
                        List.of(), List.of(), List.of(), false),
                new Case("cluster policy uses every ready endpoint", CLUSTER, List.of(a, b, c), "z1", true,
                        List.of("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"), List.of(),
                        List.of("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"), true),
                new Case("not-ready endpoints are never used", CLUSTER, List.of(a, notReady("10.0.0.9", 80, false)),
                        "z1", true, List.of("10.0.0.1:80"), List.of(), List.of("10.0.0.1:80"), true),
                new Case("serving terminating endpoints are used only when nothing is ready", CLUSTER,
                        List.of(terminating("10.0.0.4", 80, true, false), terminating("10.0.0.5", 80, false, false)),
                        "z1", true, List.of("10.0.0.4:80"), List.of(), List.of("10.0.0.4:80"), true),
                new Case("ready endpoints win over serving terminating ones", CLUSTER,
                        List.of(a, terminating("10.0.0.4", 80, true, false)), "z1", true,
                        List.of("10.0.0.1:80"), List.of(), List.of("10.0.0.1:80"), true),
                new Case("zone hints for this zone restrict cluster endpoints to them", CLUSTER,
                        List.of(zoneHinted(a, "z1"), zoneHinted(b, "z2"), zoneHinted(c, "z1")), "z1", true,
                        List.of("10.0.0.1:80", "10.0.0.3:80"), List.of(), List.of("10.0.0.1:80", "10.0.0.3:80"), true),
                new Case("zone hints are ignored unless every ready endpoint has one", CLUSTER,
                        List.of(zoneHinted(a, "z1"), b), "z1", true,
                        List.of("10.0.0.1:80", "10.0.0.2:80"), List.of(), List.of("10.0.0.1:80", "10.0.0.2:80"), true),
                new Case("zone hints are ignored when none names this node's zone", CLUSTER,
                        List.of(zoneHinted(a, "z2"), zoneHinted(b, "z3")), "z1", true,
                        List.of("10.0.0.1:80", "10.0.0.2:80"), List.of(), List.of("10.0.0.1:80", "10.0.0.2:80"), true),
                new Case("zone hints are ignored on a node without a zone label", CLUSTER,
                        List.of(zoneHinted(a, "z1"), zoneHinted(b, "z1")), null, true,
                        List.of("10.0.0.1:80", "10.0.0.2:80"), List.of(), List.of("10.0.0.1:80", "10.0.0.2:80"), true),
                new Case("node hints for this node (PreferSameNode) beat zone hints", CLUSTER,
                        List.of(nodeHinted(zoneHinted(a, "z1"), "node-a"), nodeHinted(zoneHinted(b, "z1"), "test-node")),
                        "z1", true, List.of("10.0.0.2:80"), List.of(), List.of("10.0.0.2:80"), true),
                new Case("node hints are ignored when the PreferSameTrafficDistribution gate is off", CLUSTER,
                        List.of(nodeHinted(zoneHinted(a, "z1"), "node-a"), nodeHinted(zoneHinted(b, "z1"), "test-node")),
                        "z1", false, List.of("10.0.0.1:80", "10.0.0.2:80"), List.of(),
                        List.of("10.0.0.1:80", "10.0.0.2:80"), true),
                new Case("internal policy Local uses only local ready endpoints", ITP_LOCAL, List.of(a, b, c), "z1", true,
                        List.of(), List.of("10.0.0.2:80"), List.of("10.0.0.2:80"), true),
                new Case("internal policy Local with no local endpoints still knows others exist", ITP_LOCAL,
                        List.of(a, c), "z1", true, List.of(), List.of(), List.of(), true),
                new Case("external policy Local keeps cluster endpoints for internal traffic", ETP_LOCAL,
                        List.of(a, b, c), "z1", true, List.of("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"),
                        List.of("10.0.0.2:80"), List.of("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"), true),
                new Case("local policy falls back to local serving terminating endpoints on its own", ETP_LOCAL,
                        List.of(a, terminating("10.0.0.6", 80, true, true)), "z1", true, List.of("10.0.0.1:80"),
                        List.of("10.0.0.6:80"), List.of("10.0.0.1:80", "10.0.0.6:80"), true),
                new Case("remote terminating endpoints do not make local ones usable", ETP_LOCAL,
                        List.of(terminating("10.0.0.5", 80, true, false)), "z1", true, List.of("10.0.0.5:80"),
                        List.of(), List.of("10.0.0.5:80"), true),
                new Case("with zone hints the reachable set is the union of cluster and local", ETP_LOCAL,
                        List.of(zoneHinted(a, "z1"), zoneHinted(b, "z2")), "z1", true, List.of("10.0.0.1:80"),
                        List.of("10.0.0.2:80"), List.of("10.0.0.1:80", "10.0.0.2:80"), true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void categorize(Case c) {
        CategorizedEndpoints r = new TopologyFilter(c.sameNodeGate).categorize(c.eps, c.svc, "test-node", c.zone);
        assertThat(r.cluster()).map(Endpoint::toString).containsExactlyElementsOf(c.cluster);
        assertThat(r.local()).map(Endpoint::toString).containsExactlyElementsOf(c.local);
        assertThat(r.allReachable()).map(Endpoint::toString).containsExactlyElementsOf(c.all);
        assertThat(r.hasAnyEndpoints()).isEqualTo(c.hasAny);
    }
}
