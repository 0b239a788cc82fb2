package dev.turnout.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.cli.demo.KubeObjects;
import dev.turnout.cli.demo.ServiceLab;
import dev.turnout.lab.Pod;
import dev.turnout.lab.stats.ChiSquare;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The iptables dataplane end to end: {@code turnout proxy} runs in each node namespace, follows a
 * manifests directory, programs the node's kernel, and real packets from pods and from the outside
 * client cross those rules to netexec pods.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IptablesDataplaneE2ETest {
    private ServiceLab lab;
    private List<Pod> web;
    private Pod client;

    @BeforeAll
    void up() throws Exception {
        lab = ServiceLab.up(1);
        web = lab.backends(lab.node(1), "web-1", "web-2", "web-3");
        client = lab.network().addPod("client", lab.node(1));
        lab.startProxies();
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Map<String, Long> counts(List<String> bodies) {
        return bodies.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    @Test
    void clusterIpFromAPodSpreadsOverThreeEndpoints() throws Exception {
        Service svc = KubeObjects.service("web", "10.96.0.10", 80, 8080).build();
        lab.apply(svc, KubeObjects.slice("web", web, 8080));
        lab.awaitRulesContaining("default/web:http cluster IP");

        List<String> bodies = lab.network().httpBodies(client.namespace(), "10.96.0.10", 80, "/hostname", 300);

        Map<String, Long> counts = counts(bodies);
        assertThat(counts).containsOnlyKeys("web-1", "web-2", "web-3");
        ChiSquare chi = ChiSquare.uniform(counts.values());
        assertThat(chi.looksUniform(0.001)).as("%s for %s", chi, counts).isTrue();
    }
}
