package dev.turnout.dns.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health} (200 "OK" while the process serves, as CoreDNS's health plugin), {@code /ready}
 * (200 once the source has synced, 503 before, as its ready plugin) and {@code /metrics}
 * (Prometheus text, as its prometheus plugin), on one HTTP listener.
 */
final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    HttpEndpoints(InetSocketAddress address, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/health", ex -> reply(ex, 200, "OK"));
        server.createContext("/ready", ex -> {
            boolean ok = ready.getAsBoolean();
            reply(ex, ok ? 200 : 503, ok ? "OK" : "not synced");
        });
        server.createContext("/metrics", ex -> reply(ex, 200, metrics.get()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dns-http");
            t.setDaemon(true);
            return t;
        }));
    }

    InetSocketAddress start() {
        server.start();
        return server.getAddress();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
