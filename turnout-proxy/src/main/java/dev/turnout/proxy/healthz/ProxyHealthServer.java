package dev.turnout.proxy.healthz;

import com.sun.net.httpserver.HttpServer;
import dev.turnout.proxy.metrics.ProxyMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * kube-proxy's health endpoint ({@code --healthz-bind-address}, default 0.0.0.0:10256):
 * <ul>
 *   <li>{@code /healthz}: 200 when the proxier is healthy and the node eligible, else 503; body
 *       {@code {"lastUpdated": "...","currentTime": "...", "nodeEligible": true}};</li>
 *   <li>{@code /livez}: the same without the node: {@code {"lastUpdated": "...","currentTime": "..."}}.</li>
 * </ul>
 * When healthy, lastUpdated is reported as the current time, as upstream does for compatibility.
 */
public final class ProxyHealthServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 10256;

    private final InetSocketAddress bind;
    private final ProxyHealth health;
    private final ProxyMetrics metrics;
    private HttpServer server;

    public ProxyHealthServer(InetSocketAddress bind, ProxyHealth health, ProxyMetrics metrics) {
        this.bind = bind;
        this.health = health;
        this.metrics = metrics;
    }

    public synchronized void start() throws IOException {
        HttpServer s = HttpServer.create(bind, 0);
        s.createContext("/healthz", exchange -> {
            try (exchange) {
                ProxyHealth.Health h = health.health();
                boolean healthy = h.healthy() && h.nodeEligible();
                String last = GoTime.format(healthy ? h.currentTime() : h.lastUpdated());
                String body = "{\"lastUpdated\": " + HttpJson.quote(last) + ",\"currentTime\": "
                        + HttpJson.quote(GoTime.format(h.currentTime())) + ", \"nodeEligible\": " + h.nodeEligible() + "}";
                int code = healthy ? 200 : 503;
                metrics.healthzTotal.inc(Integer.toString(code));
                HttpJson.send(exchange, code, body);
            }
        });
        s.createContext("/livez", exchange -> {
            try (exchange) {
                ProxyHealth.Health h = health.health();
                String last = GoTime.format(h.healthy() ? h.currentTime() : h.lastUpdated());
                String body = "{\"lastUpdated\": " + HttpJson.quote(last) + ",\"currentTime\": "
                        + HttpJson.quote(GoTime.format(h.currentTime())) + "}";
                int code = h.healthy() ? 200 : 503;
                metrics.livezTotal.inc(Integer.toString(code));
                HttpJson.send(exchange, code, body);
            }
        });
        s.start();
        server = s;
    }

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
