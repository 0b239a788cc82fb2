package dev.turnout.proxy.healthz;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The per-Service health-check servers of eTP=Local LoadBalancer Services, as upstream's
 * ServiceHealthServer: one HTTP server per {@code healthCheckNodePort}; any path answers 200 when
 * this node has ready local endpoints for the Service and the proxy is healthy, else 503, with
 * upstream's JSON body and the {@code X-Load-Balancing-Endpoint-Weight} header.
 */
public final class ServiceHealthServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceHealthServer.class.getName());

    private final String bindAddress;
    private final BooleanSupplier proxyHealthy;
    private final Map<String, Instance> services = new HashMap<>();

    private static final class Instance {
        final int port;
        final HttpServer server;
        volatile int endpoints;

        Instance(int port, HttpServer server) {
            this.port = port;
            this.server = server;
        }
    }

    /**
     * @param bindAddress the address to listen on ("0.0.0.0" for all, as upstream without
     *     --nodeport-addresses)
     * @param proxyHealthy whether the proxier itself is healthy (upstream checks the healthz server)
     */
    public ServiceHealthServer(String bindAddress, BooleanSupplier proxyHealthy) {
        this.bindAddress = bindAddress;
        this.proxyHealthy = proxyHealthy;
    }

    /**
     * Makes the set of servers match {@code ports} (namespace/name to health-check NodePort):
     * closes those no longer wanted, opens new ones. Returns the failures to open (a busy port);
     * the others still start, as upstream.
     */
    public synchronized List<IOException> syncServices(Map<String, Integer> ports) {
        for (var it = services.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Integer want = ports.get(e.getKey());
            if (want == null || want != e.getValue().port) {
                LOG.fine(() -> "Closing healthcheck for " + e.getKey());
                e.getValue().server.stop(0);
                it.remove();
            }
        }
        List<IOException> errors = new ArrayList<>();
        ports.forEach((nsn, port) -> {
            if (services.containsKey(nsn)) {
                return;
            }
            try {
                services.put(nsn, open(nsn, port));
            } catch (IOException e) {
                errors.add(new IOException("healthcheck for " + nsn + " on port " + port + ": " + e.getMessage(), e));
            }
        });
        return errors;
    }

    /** Sets the local ready endpoint counts; Services missing from {@code counts} have none. */
    public synchronized void syncEndpoints(Map<String, Integer> counts) {
        services.forEach((nsn, inst) -> inst.endpoints = counts.getOrDefault(nsn, 0));
    }

    private Instance open(String nsn, int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        Instance inst = new Instance(port, s);
        int slash = nsn.indexOf('/');
        String ns = nsn.substring(0, slash);
        String name = nsn.substring(slash + 1);
        s.createContext("/", exchange -> {
            try (exchange) {
                int count = inst.endpoints;
                boolean healthy = proxyHealthy.getAsBoolean();
                String body = "{\n\t\"service\": {\n\t\t\"namespace\": " + HttpJson.quote(ns) + ",\n\t\t\"name\": "
                        + HttpJson.quote(name) + "\n\t},\n\t\"localEndpoints\": " + count
                        + ",\n\t\"serviceProxyHealthy\": " + healthy + "\n}";
                exchange.getResponseHeaders().set("X-Load-Balancing-Endpoint-Weight", Integer.toString(count));
                HttpJson.send(exchange, count != 0 && healthy ? 200 : 503, body);
            }
        });
        s.start();
        return inst;
    }

    /** The ports currently served, by namespace/name. */
    public synchronized Map<String, Integer> ports() {
        Map<String, Integer> out = new HashMap<>();
        services.forEach((k, v) -> out.put(k, v.port));
        return out;
    }

    @Override
    public synchronized void close() {
        services.values().forEach(i -> i.server.stop(0));
        services.clear();
    }
}
