package dev.turnout.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.Endpoint;
import dev.turnout.model.Protocol;
import dev.turnout.model.SessionAffinity;
import dev.turnout.proxy.userspace.TestBackends.Behaviour;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 connections through one listener, in every manner of ending (normal close, client
 * half-close, client reset, backend close, backend reset, refused backend), eight at a time: after
 * them the proxy holds no connection channel, and this process's open file descriptors are back
 * at what they were before.
 */
class TenThousandConnectionsTest {
    static final int CONNECTIONS = 10_000;

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void tenThousandConnectionsLeaveNoChannelAndNoDescriptor() throws Exception {
        try (var echo = new TestBackends.Tcp("echo", Behaviour.ECHO);
                var closer = new TestBackends.Tcp("close", Behaviour.CLOSE);
                var resetter = new TestBackends.Tcp("rst", Behaviour.RESET)) {
            int refused;
            try (var gone = new java.net.ServerSocket(0)) {
                refused = gone.getLocalPort();
            }
            ProxyEngine engine = new ProxyEngine(Transport.choose(true), 2, Duration.ofSeconds(2), Duration.ofSeconds(30));
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                InetSocketAddress toEcho = open(engine, "127.0.0.31", Endpoint.ready("127.0.0.1", echo.port()),
                        Endpoint.ready("127.0.0.1", refused));
                InetSocketAddress toCloser = open(engine, "127.0.0.32", Endpoint.ready("127.0.0.1", closer.port()));
                InetSocketAddress toResetter = open(engine, "127.0.0.33", Endpoint.ready("127.0.0.1", resetter.port()));
                List<InetSocketAddress> targets = List.of(toEcho, toCloser, toResetter);
                // Warm up: classes loaded, pools and event loops started, before the baseline.
                run(clients, targets, 300);
                ProxyEngineTest.await("warm-up connections closed", () -> engine.openChannels() == 0);
                System.gc();
                int baseline = openFds();

                AtomicInteger failures = run(clients, targets, CONNECTIONS);

                ProxyEngineTest.await("no open connection channels", () -> engine.openChannels() == 0);
                ProxyEngineTest.await("fds back to " + baseline + " (now " + openFds() + ")",
                        () -> openFds() <= baseline);
                assertThat(failures.get()).as("unexpected client failures").isZero();
                // Clients that reset may be gone before their backend answers; most are joined.
                assertThat(engine.stats().connected.sum()).isGreaterThan(CONNECTIONS / 2);
            } finally {
                clients.shutdownNow();
                engine.close();
            }
        }
    }

    private static InetSocketAddress open(ProxyEngine engine, String ip, Endpoint... eps) throws Exception {
        BackendSet set = new BackendSet(ip);
        set.update(List.of(eps), SessionAffinity.NONE);
        return engine.open(new ListenerKey(ip, 0, Protocol.TCP), set).localAddress();
    }

    /** {@code n} connections over the targets and the ways of ending; returns the count of surprises. */
    private static AtomicInteger run(ExecutorService pool, List<InetSocketAddress> targets, int n) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> {
                try {
                    one(targets, k);
                } catch (IOException | RuntimeException e) {
                    if (failures.incrementAndGet() < 5) {
                        e.printStackTrace();
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return failures;
    }

    private static void one(List<InetSocketAddress> targets, int k) throws IOException {
        InetSocketAddress to = targets.get(k % 3);
        Socket sock;
        try {
            sock = ProxyEngineTest.connect(to);
        } catch (java.net.SocketException e) {
            if (to == targets.get(2)) {
                return; // the reset passed on from the backend can beat the end of connect()
            }
            throw e;
        }
        try (Socket s = sock) {
            if (to == targets.get(0)) {
                switch ((k / 3) % 3) {
                    case 0 -> {
                        // request/response, then close
                        s.getOutputStream().write("ping".getBytes());
                        byte[] b = s.getInputStream().readNBytes(4);
                        if (!"ping".equals(new String(b))) {
                            throw new IOException("echo answered " + new String(b));
                        }
                    }
                    case 1 -> {
                        // half-close and read to the end
                        s.getOutputStream().write("bye".getBytes());
                        s.shutdownOutput();
                        if (!"bye".equals(new String(s.getInputStream().readAllBytes()))) {
                            throw new IOException("half-close lost data");
                        }
                    }
                    default -> {
                        // vanish with a reset
                        s.getOutputStream().write("x".getBytes());
                        s.setSoLinger(true, 0);
                    }
                }
            } else {
                try {
                    s.getInputStream().read();
                } catch (java.net.SocketException expected) {
                    // the resetting backend
                }
            }
        }
    }
}
