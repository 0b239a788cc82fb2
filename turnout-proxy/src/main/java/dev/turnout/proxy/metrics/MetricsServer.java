package dev.turnout.proxy.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * kube-proxy's metrics endpoint ({@code --metrics-bind-address}, default 127.0.0.1:10249): GET
 * {@code /metrics} answers with the Prometheus text format.
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 10249;

    private final InetSocketAddress bind;
    private final Supplier<String> scrape;
    private HttpServer server;

    public MetricsServer(InetSocketAddress bind, Supplier<String> scrape) {
        this.bind = bind;
        this.scrape = scrape;
    }

    public synchronized void start() throws IOException {
        HttpServer s = HttpServer.create(bind, 0);
        s.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        s.start();
        server = s;
    }

    /** The bound port (useful when started on port 0). */
    public synchronized int port() {
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
