package dev.turnout.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnout.model.Endpoint;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import dev.turnout.model.SessionAffinity;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.iptables.SyncOptions;
import dev.turnout.proxy.kernel.fake.RecordingCommandRunner;
import dev.turnout.proxy.runner.SingleThreadScheduler;
import dev.turnout.proxy.userspace.TestBackends.Behaviour;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Syncs reconcile listeners and backends with the state: loopback addresses only. */
class UserspaceProxierTest {
    static final ServicePortName WEB = new ServicePortName("default", "web", "http", Protocol.TCP);
    static final ServicePortName DNS = new ServicePortName("default", "dns", "udp", Protocol.UDP);

    private SingleThreadScheduler scheduler;
    private UserspaceProxier proxier;
    private int port;

    @BeforeEach
    void up() throws IOException {
        scheduler = new SingleThreadScheduler("test-sync");
        scheduler.start();
        proxier = new UserspaceProxier(UserspaceConfig.loopback("node-1"), ProxyEngine.withDefaults(),
                ServiceAddresses.loopback(), scheduler, SyncOptions.DEFAULTS, null, null);
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
    }

    @AfterEach
    void down() {
        proxier.stop();
        scheduler.close();
    }

    private ServicePort svc(ServicePortName name, String ip) {
        return ServicePort.builder(name).clusterIp(ip).port(port).build();
    }

    private static ProxyState state(Map<ServicePortName, ServicePort> svcs, Map<ServicePortName, List<Endpoint>> eps) {
        return new ProxyState(svcs, eps, null);
    }

    @Test
    void listensOnLoopbackServiceAddressesAndSkipsOthers() throws Exception {
        try (var a = new TestBackends.Tcp("a", Behaviour.NAME); var u = new TestBackends.Udp("u")) {
            int nodePort;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                nodePort = probe.getLocalPort();
            }
            ServicePort web = svc(WEB, "127.0.9.1").toBuilder().nodePort(nodePort).build();
            ServicePort dns = svc(DNS, "127.0.9.2");
            ServicePortName other = new ServicePortName("default", "other", "", Protocol.TCP);
            assertThat(proxier.apply(state(
                    Map.of(WEB, web, DNS, dns, other, svc(other, "10.96.0.1")),
                    Map.of(WEB, List.of(Endpoint.ready("127.0.0.1", a.port())),
                            DNS, List.of(Endpoint.ready("127.0.0.1", u.port())))))).isTrue();
            assertThat(proxier.listeners()).containsOnlyKeys(
                    new ListenerKey("127.0.9.1", port, Protocol.TCP),
                    new ListenerKey("127.0.0.1", web.nodePort(), Protocol.TCP),
                    new ListenerKey("127.0.9.2", port, Protocol.UDP));
            try (Socket s = ProxyEngineTest.connect(new InetSocketAddress("127.0.9.1", port))) {
                assertThat(ProxyEngineTest.readAll(s)).isEqualTo("a");
            }
            try (Socket s = ProxyEngineTest.connect(new InetSocketAddress("127.0.0.1", web.nodePort()))) {
                assertThat(ProxyEngineTest.readAll(s)).isEqualTo("a");
            }
            try (DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                c.setSoTimeout(5000);
                assertThat(ProxyEngineTest.udp(c, new InetSocketAddress("127.0.9.2", port), "q")).isEqualTo("u");
            }
        }
    }

    @Test
    void removedEndpointFinishesItsConnectionsAndGetsNoNewOnes() throws Exception {
        try (var echo = new TestBackends.Tcp("echo", Behaviour.ECHO); var b = new TestBackends.Tcp("b", Behaviour.NAME)) {
            Endpoint old = Endpoint.ready("127.0.0.1", echo.port());
            Endpoint keep = Endpoint.ready("127.0.0.1", b.port());
            Map<ServicePortName, ServicePort> svcs = Map.of(WEB, svc(WEB, "127.0.9.3"));
            proxier.apply(state(svcs, Map.of(WEB, List.of(old))));
            InetSocketAddress addr = new InetSocketAddress("127.0.9.3", port);
            try (Socket established = ProxyEngineTest.connect(addr)) {
                established.getOutputStream().write('1');
                assertThat(established.getInputStream().read()).isEqualTo('1');

                proxier.apply(state(svcs, Map.of(WEB, List.of(keep))));
                for (int i = 0; i < 20; i++) {
                    try (Socket s = ProxyEngineTest.connect(addr)) {
                        assertThat(ProxyEngineTest.readAll(s)).isEqualTo("b");
                    }
                }
                established.getOutputStream().write('2');
                assertThat(established.getInputStream().read()).isEqualTo('2');

                // The Service goes away: nothing listens, the old connection still runs.
                proxier.apply(state(Map.of(), Map.of()));
                assertThat(proxier.listeners()).isEmpty();
                assertThatThrownBy(() -> ProxyEngineTest.connect(addr)).isInstanceOf(IOException.class);
                established.getOutputStream().write('3');
                assertThat(established.getInputStream().read()).isEqualTo('3');
            }
        }
    }

    @Test
    void affinityFollowsTheServiceSetting() throws Exception {
        try (var a = new TestBackends.Tcp("a", Behaviour.NAME); var b = new TestBackends.Tcp("b", Behaviour.NAME)) {
            ServicePort web = svc(WEB, "127.0.9.4").toBuilder().sessionAffinity(SessionAffinity.clientIp(60)).build();
            proxier.apply(state(Map.of(WEB, web), Map.of(WEB, List.of(Endpoint.ready("127.0.0.1", a.port()),
                    Endpoint.ready("127.0.0.1", b.port())))));
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                try (Socket s = ProxyEngineTest.connect(new InetSocketAddress("127.0.9.4", port))) {
                    seen.merge(ProxyEngineTest.readAll(s), 1, Integer::sum);
                }
            }
            assertThat(seen).hasSize(1);
            assertThat(proxier.backendsOf(new ListenerKey("127.0.9.4", port, Protocol.TCP)).affinity().clientIp())
                    .isTrue();
        }
    }

    @Test
    void aPortWithoutEndpointsHasNoListenerSoTheKernelRefuses() throws Exception {
        try (var a = new TestBackends.Tcp("a", Behaviour.NAME)) {
            Map<ServicePortName, ServicePort> svcs = Map.of(WEB, svc(WEB, "127.0.9.6"));
            InetSocketAddress addr = new InetSocketAddress("127.0.9.6", port);
            proxier.apply(state(svcs, Map.of()));
            assertThat(proxier.listeners()).isEmpty();
            assertThatThrownBy(() -> ProxyEngineTest.connect(addr)).isInstanceOf(java.net.ConnectException.class)
                    .hasMessageContaining("refused");
            proxier.apply(state(svcs, Map.of(WEB, List.of(Endpoint.ready("127.0.0.1", a.port())))));
            try (Socket s = ProxyEngineTest.connect(addr)) {
                assertThat(ProxyEngineTest.readAll(s)).isEqualTo("a");
            }
            proxier.apply(state(svcs, Map.of(WEB, List.of())));
            assertThatThrownBy(() -> ProxyEngineTest.connect(addr)).isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void dummyModeAddsServiceAddressesToItsInterfaceAndRemovesThem() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner();
        ServiceAddresses dummy = ServiceAddresses.dummy(runner, List.of("192.168.5.2"));
        assertThat(dummy.acquire("10.96.0.10")).isTrue();
        assertThat(dummy.acquire("10.96.0.11")).isTrue();
        assertThat(dummy.acquire("192.168.5.2")).isTrue();
        assertThat(dummy.acquire("127.0.0.5")).isTrue();
        dummy.release("10.96.0.10");
        dummy.close();
        assertThat(runner.calls()).extracting(Object::toString).containsExactly(
                "ip link add turnout0 type dummy",
                "ip link set turnout0 up",
                "ip addr replace 10.96.0.10/32 dev turnout0",
                "ip addr replace 10.96.0.11/32 dev turnout0",
                "ip addr del 10.96.0.10/32 dev turnout0",
                "ip link del turnout0");
    }

    @Test
    void withoutADummyDriverTheAddressesGoOnLo() throws Exception {
        RecordingCommandRunner runner = new RecordingCommandRunner(argv -> argv.contains("dummy")
                ? new dev.turnout.proxy.kernel.CommandResult(argv, 2, "", "Error: Unknown device type.")
                : new dev.turnout.proxy.kernel.CommandResult(argv, 0, "", ""));
        ServiceAddresses dummy = ServiceAddresses.dummy(runner, List.of());
        assertThat(dummy.acquire("10.96.0.10")).isTrue();
        dummy.close();
        assertThat(runner.calls()).extracting(Object::toString).containsExactly(
                "ip link add turnout0 type dummy",
                "ip addr replace 10.96.0.10/32 dev lo",
                "ip addr del 10.96.0.10/32 dev lo");
    }

    @Test
    void planSendsClusterIpToInternalAndNodePortsToExternalEndpoints() {
        Endpoint local = Endpoint.ready("10.244.1.2", 80).withLocal(true);
        Endpoint remote = Endpoint.ready("10.244.2.2", 80);
        ServicePort web = ServicePort.builder(WEB).clusterIp("10.96.0.10").port(80).nodePort(30080)
                .externalIps(List.of("203.0.113.5")).externalPolicyLocal(true).build();
        var plan = ListenerPlan.of(state(Map.of(WEB, web), Map.of(WEB, List.of(local, remote))), "node-1",
                List.of("192.168.5.2"), new dev.turnout.proxy.topology.TopologyFilter(false));
        assertThat(plan.get(new ListenerKey("10.96.0.10", 80, Protocol.TCP)).endpoints()).containsExactly(local, remote);
        assertThat(plan.get(new ListenerKey("192.168.5.2", 30080, Protocol.TCP)).endpoints()).containsExactly(local);
        assertThat(plan.get(new ListenerKey("203.0.113.5", 80, Protocol.TCP)).endpoints()).containsExactly(local);
    }

    @Test
    void aBusyAddressFailsTheSyncAndIsRetriedLater() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.9.5", port));
            Map<ServicePortName, ServicePort> svcs = Map.of(WEB, svc(WEB, "127.0.9.5"));
            var eps = Map.of(WEB, List.of(Endpoint.ready("127.0.0.1", 9)));
            assertThat(proxier.apply(state(svcs, eps))).isFalse();
            assertThat(proxier.listeners()).isEmpty();
            squatter.close();
            assertThat(proxier.apply(state(svcs, eps))).isTrue();
            assertThat(proxier.listeners()).hasSize(1);
        }
    }
}
