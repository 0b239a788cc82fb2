package dev.turnout.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnout.model.Endpoint;
import dev.turnout.model.Protocol;
import dev.turnout.model.SessionAffinity;
import dev.turnout.proxy.userspace.TestBackends.Behaviour;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relays on loopback, against backends that misbehave: each test checks what the client sees
 * and that the proxy holds no connection afterwards. Waits are bounded polls, never timings.
 */
class ProxyEngineTest {
    static final String LISTEN_IP = "127.0.0.21";

    private ProxyEngine engine;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void up() {
        engine = new ProxyEngine(Transport.choose(true), 2, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    @AfterEach
    void down() throws Exception {
        engine.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private TestBackends.Tcp backend(String name, Behaviour b) throws IOException {
        TestBackends.Tcp t = new TestBackends.Tcp(name, b);
        closeables.add(t);
        return t;
    }

    static Endpoint ep(int port) {
        return Endpoint.ready("127.0.0.1", port);
    }

    private InetSocketAddress listen(Protocol p, BackendSet set) throws Exception {
        return engine.open(new ListenerKey(LISTEN_IP, 0, p), set).localAddress();
    }

    private static BackendSet set(SessionAffinity aff, Endpoint... eps) {
        BackendSet s = new BackendSet("test");
        s.update(List.of(eps), aff);
        return s;
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private void awaitNoConnections() throws InterruptedException {
        try {
            await("no open connection channels", () -> engine.openChannels() == 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; still open:\n" + engine.describeConnections());
        }
    }

    static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5000);
        s.setSoTimeout(20000);
        return s;
    }

    /** The client sees a reset: on its read, or already before connect() returns. */
    static void expectReset(InetSocketAddress addr) {
        assertThatThrownBy(() -> {
            try (Socket s = connect(addr)) {
                s.getInputStream().read();
            }
        }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }

    @Test
    void tcpConnectionsSpreadRandomlyOverBackends() throws Exception {
        var a = backend("a", Behaviour.NAME);
        var b = backend("b", Behaviour.NAME);
        var c = backend("c", Behaviour.NAME);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(a.port()), ep(b.port()), ep(c.port())));
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            try (Socket s = connect(addr)) {
                counts.merge(readAll(s), 1, Integer::sum);
            }
        }
        assertThat(counts).containsOnlyKeys("a", "b", "c");
        // 100 expected each; below 50 is beyond 5 standard deviations.
        assertThat(counts.values()).allMatch(n -> n >= 50);
        awaitNoConnections();
    }

    @Test
    void clientIpAffinityKeepsAClientOnOneBackendUntilItLeaves() throws Exception {
        var a = backend("a", Behaviour.NAME);
        var b = backend("b", Behaviour.NAME);
        BackendSet set = set(SessionAffinity.clientIp(10800), ep(a.port()), ep(b.port()));
        InetSocketAddress addr = listen(Protocol.TCP, set);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            try (Socket s = connect(addr)) {
                seen.add(readAll(s));
            }
        }
        assertThat(seen).hasSize(50).containsOnly(seen.get(0));
        assertThat(set.affinityEntries()).isEqualTo(1);
        // The sticky backend is removed: the client moves to the other one, and stays there when it is back.
        var stickyPort = seen.get(0).equals("a") ? a.port() : b.port();
        var otherPort = stickyPort == a.port() ? b.port() : a.port();
        set.update(List.of(ep(otherPort)), SessionAffinity.clientIp(10800));
        try (Socket s = connect(addr)) {
            assertThat(readAll(s)).isEqualTo(otherPort == a.port() ? "a" : "b");
        }
        set.update(List.of(ep(a.port()), ep(b.port())), SessionAffinity.clientIp(10800));
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try (Socket s = connect(addr)) {
                after.add(readAll(s));
            }
        }
        assertThat(after).containsOnly(otherPort == a.port() ? "a" : "b");
        awaitNoConnections();
    }

    @Test
    void affinityExpiresAfterItsTimeout() {
        long[] now = {0};
        BackendSet set = new BackendSet("t", () -> now[0]);
        set.update(List.of(ep(1), ep(2), ep(3), ep(4)), SessionAffinity.clientIp(10));
        InetAddress client = InetAddress.getLoopbackAddress();
        Endpoint first = set.pick(client, java.util.Set.of());
        now[0] += 9_000_000_000L;
        assertThat(set.pick(client, java.util.Set.of())).isEqualTo(first);
        // Used again at 9 s: it lives until 19 s.
        now[0] += 9_000_000_000L;
        assertThat(set.pick(client, java.util.Set.of())).isEqualTo(first);
        now[0] += 10_000_000_000L;
        set.update(set.endpoints(), set.affinity());
        assertThat(set.affinityEntries()).isZero();
    }

    @Test
    void halfCloseIsPassedOnBothWays() throws Exception {
        var echo = backend("echo", Behaviour.ECHO);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(echo.port())));
        try (Socket s = connect(addr)) {
            byte[] payload = new byte[1 << 20];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(payload);
                    // Our FIN must reach the backend (its read returns EOF) while we still read.
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            byte[] back = s.getInputStream().readAllBytes();
            writer.join();
            assertThat(back).isEqualTo(payload);
        }
        awaitNoConnections();
    }

    @Test
    void backendThatClosesAtOnceGivesTheClientEof() throws Exception {
        var closer = backend("closer", Behaviour.CLOSE);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(closer.port())));
        try (Socket s = connect(addr)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        awaitNoConnections();
    }

    @Test
    void backendResetIsPassedOnAsReset() throws Exception {
        var resetter = backend("rst", Behaviour.RESET);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(resetter.port())));
        expectReset(addr);
        awaitNoConnections();
    }

    @Test
    void refusingBackendIsSkippedAndOnlyRefusalsReset() throws Exception {
        int refused;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = gone.getLocalPort();
        }
        var good = backend("good", Behaviour.NAME);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(refused), ep(good.port())));
        for (int i = 0; i < 40; i++) {
            try (Socket s = connect(addr)) {
                assertThat(readAll(s)).isEqualTo("good");
            }
        }
        assertThat(engine.stats().backendFailed.sum()).isPositive();

        InetSocketAddress onlyRefused = engine.open(new ListenerKey("127.0.0.22", 0, Protocol.TCP),
                set(SessionAffinity.NONE, ep(refused))).localAddress();
        expectReset(onlyRefused);
        awaitNoConnections();
    }

    @Test
    void serviceWithoutEndpointsResetsAtOnce() throws Exception {
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE));
        expectReset(addr);
        assertThat(engine.stats().noBackend.sum()).isEqualTo(1);
        awaitNoConnections();
    }

    @Test
    void stalledBackendStopsTheClientInsteadOfFillingTheProxy() throws Exception {
        var staller = backend("stall", Behaviour.STALL);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(staller.port())));
        long limit = 256L << 20;
        AtomicLong sent = new AtomicLong();
        Socket s = connect(addr);
        Thread writer = new Thread(() -> {
            byte[] chunk = new byte[65536];
            try {
                OutputStream out = s.getOutputStream();
                while (sent.get() < limit) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // closed below
            }
        });
        writer.setDaemon(true);
        writer.start();
        awaitStill(sent);
        // Kernel buffers on three sockets hold a few MB; the proxy itself holds at most a watermark's worth.
        assertThat(sent.get()).isLessThan(limit);
        assertThat(engine.pendingOutboundBytes()).isLessThanOrEqualTo(1L << 20);
        // The client vanishes: the proxy lets go of the backend too.
        s.setSoLinger(true, 0);
        s.close();
        writer.join();
        awaitNoConnections();
    }

    @Test
    void floodingBackendIsSlowedToTheClientsPace() throws Exception {
        var flood = backend("flood", Behaviour.FLOOD);
        InetSocketAddress addr = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(flood.port())));
        try (Socket s = connect(addr)) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            assertThat(in.read(buf)).isPositive();
            // Not reading now: the proxy stops reading the backend rather than buffering its flood.
            AtomicLong probe = new AtomicLong();
            awaitStill(() -> engine.pendingOutboundBytes(), probe);
            assertThat(engine.pendingOutboundBytes()).isLessThanOrEqualTo(1L << 20);
        }
        awaitNoConnections();
    }

    @Test
    void clientsThatVanishLeaveNothingBehind() throws Exception {
        var staller = backend("stall", Behaviour.STALL);
        var echo = backend("echo", Behaviour.ECHO);
        InetSocketAddress toStaller = listen(Protocol.TCP, set(SessionAffinity.NONE, ep(staller.port())));
        InetSocketAddress toEcho = engine.open(new ListenerKey("127.0.0.23", 0, Protocol.TCP),
                set(SessionAffinity.NONE, ep(echo.port()))).localAddress();
        for (int i = 0; i < 200; i++) {
            for (InetSocketAddress addr : List.of(toStaller, toEcho)) {
                Socket s = connect(addr);
                if (i % 2 == 0) {
                    s.getOutputStream().write(new byte[1000]);
                }
                if (i % 4 < 2) {
                    s.setSoLinger(true, 0);
                }
                s.close();
            }
        }
        // A client that reset is gone at once; one that sent FIN only half-closed, and its
        // connection stays until the backend ends its half: the echo backend does, the staller
        // only when it finally closes.
        await("every backend connection made", () -> staller.accepted.get() == 200);
        staller.dropAll();
        awaitNoConnections();
    }

    @Test
    void closingAListenerLeavesEstablishedConnectionsRunning() throws Exception {
        var echo = backend("echo", Behaviour.ECHO);
        ListenerKey key = new ListenerKey(LISTEN_IP, 0, Protocol.TCP);
        InetSocketAddress addr = engine.open(key, set(SessionAffinity.NONE, ep(echo.port()))).localAddress();
        try (Socket s = connect(addr)) {
            s.getOutputStream().write('x');
            assertThat(s.getInputStream().read()).isEqualTo('x');
            engine.close(key);
            assertThatThrownBy(() -> connect(addr)).isInstanceOf(IOException.class);
            s.getOutputStream().write('y');
            assertThat(s.getInputStream().read()).isEqualTo('y');
        }
        awaitNoConnections();
    }

    @Test
    void udpKeepsOneSessionPerClientAndSpreadsClients() throws Exception {
        List<TestBackends.Udp> backends = new ArrayList<>();
        for (String n : List.of("a", "b", "c")) {
            TestBackends.Udp u = new TestBackends.Udp(n);
            closeables.add(u);
            backends.add(u);
        }
        InetSocketAddress addr = listen(Protocol.UDP, set(SessionAffinity.NONE,
                backends.stream().map(u -> ep(u.port())).toArray(Endpoint[]::new)));
        Map<String, Integer> counts = new TreeMap<>();
        for (int c = 0; c < 60; c++) {
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(5000);
                String first = null;
                for (int i = 0; i < 3; i++) {
                    String reply = udp(client, addr, "hi");
                    first = first == null ? reply : first;
                    assertThat(reply).isEqualTo(first);
                }
                counts.merge(first, 1, Integer::sum);
            }
        }
        assertThat(counts).containsOnlyKeys("a", "b", "c");
        assertThat(engine.stats().udpSessions.sum()).isEqualTo(60);
    }

    static String udp(DatagramSocket client, InetSocketAddress to, String msg) throws IOException {
        byte[] out = msg.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(out, out.length, to));
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        client.receive(p);
        assertThat(p.getSocketAddress()).as("replies come from the listener").isEqualTo(to);
        return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void udpSessionsEndWhenIdleAndWhenTheirBackendLeaves() throws Exception {
        engine.close();
        engine = new ProxyEngine(Transport.choose(true), 1, Duration.ofSeconds(2), Duration.ofMillis(300));
        TestBackends.Udp a = new TestBackends.Udp("a");
        TestBackends.Udp b = new TestBackends.Udp("b");
        closeables.add(a);
        closeables.add(b);
        BackendSet set = set(SessionAffinity.NONE, ep(a.port()));
        Listener l = engine.open(new ListenerKey(LISTEN_IP, 0, Protocol.UDP), set);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5000);
            assertThat(udp(client, l.localAddress(), "1")).isEqualTo("a");
            assertThat(engine.openChannels()).isEqualTo(1);
            awaitNoConnections();
            assertThat(((UdpListener) l).sessions()).isZero();

            assertThat(udp(client, l.localAddress(), "2")).isEqualTo("a");
            set.update(List.of(ep(b.port())), SessionAffinity.NONE);
            l.backendsChanged();
            await("session to a closed", () -> engine.openChannels() == 0);
            assertThat(udp(client, l.localAddress(), "3")).isEqualTo("b");
        }
    }

    @Test
    void udpWithoutBackendsDropsAndLeavesNoSession() throws Exception {
        Listener l = engine.open(new ListenerKey(LISTEN_IP, 0, Protocol.UDP), set(SessionAffinity.NONE));
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] out = {1};
            client.send(new DatagramPacket(out, 1, l.localAddress()));
            await("datagram counted as dropped", () -> engine.stats().noBackend.sum() == 1);
        }
        assertThat(engine.openChannels()).isZero();
    }

    /** Waits until {@code value} stops moving: unchanged across 300 ms. */
    private static void awaitStill(AtomicLong value) throws InterruptedException {
        awaitStill(value::get, new AtomicLong());
    }

    private static void awaitStill(java.util.function.LongSupplier value, AtomicLong unused) throws InterruptedException {
        long last = -1;
        int still = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (still < 15) {
            long v = value.getAsLong();
            still = v == last ? still + 1 : 0;
            last = v;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kept moving: " + v);
            }
            Thread.sleep(20);
        }
    }
}
