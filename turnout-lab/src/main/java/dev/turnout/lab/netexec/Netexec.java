package dev.turnout.lab.netexec;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Our implementation of the upstream e2e workload {@code agnhost netexec}: HTTP on {@code --http-port}
 * (default 8080) with {@code /}, {@code /hostname}, {@code /clientip}, {@code /echo}, {@code /healthz} and
 * {@code /dial}; UDP on {@code --udp-port} (default 8081) answering {@code hostname}, {@code clientip},
 * {@code echo X}. The hostname is the UTS namespace's, so a pod started under its own UTS namespace
 * answers with its pod name. Nothing here resolves names.
 */
public final class Netexec implements AutoCloseable {

    private final NetexecOptions options;
    private final AtomicBoolean udpReady = new AtomicBoolean();
    private HttpServer http;
    private NetexecUdpServer udp;
    private ExecutorService workers;

    public Netexec(NetexecOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Netexec netexec = new Netexec(NetexecOptions.parse(Arrays.asList(args)));
        netexec.start();
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM runs shutdown hooks: stop accepting, let in-flight requests finish briefly, then exit 0.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Shutting down");
            netexec.close();
            stopped.countDown();
        }, "netexec-shutdown"));
        stopped.await();
    }

    /** Binds both ports (failing fast if either is taken) and starts serving. */
    public synchronized void start() throws IOException {
        workers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "netexec-worker");
            t.setDaemon(true);
            return t;
        });
        if (options.udpEnabled()) {
            udp = new NetexecUdpServer(options.udpPort(), udpReady);
            udp.markReady();
            Thread t = new Thread(udp, "netexec-udp");
            t.setDaemon(true);
            t.start();
        }
        // upstream reports ready only once UDP serves; with UDP disabled we are ready as soon as HTTP is
        var handler = new NetexecHttpHandler(() -> !options.udpEnabled() || udpReady.get(), new NetexecDialHandler());
        http = HttpServer.create(new InetSocketAddress(options.httpPort()), 128);
        http.createContext("/", handler);
        http.setExecutor(workers);
        http.start();
        System.err.println("Started HTTP server on port " + httpPort()
                + (udp == null ? "" : ", UDP server on port " + udpPort()));
    }

    /** The bound HTTP port (the real one when started with port 0). */
    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The bound UDP port, or -1 when UDP is disabled. */
    public int udpPort() {
        return udp == null ? -1 : udp.port();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop(1);
            http = null;
        }
        if (udp != null) {
            udp.close();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
