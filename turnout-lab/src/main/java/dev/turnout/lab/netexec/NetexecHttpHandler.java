package dev.turnout.lab.netexec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * agnhost netexec's HTTP endpoints. Unlike Go's ServeMux, whose "/" catches every path, unknown paths
 * answer 404 here so a typo in a test shows up as a failure instead of a timestamp.
 */
final class NetexecHttpHandler implements HttpHandler {

    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn xx z");

    private final BooleanSupplier ready;
    private final NetexecDialHandler dial;

    NetexecHttpHandler(BooleanSupplier ready, NetexecDialHandler dial) {
        this.ready = ready;
        this.dial = dial;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            System.err.println(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            switch (path) {
                case "/" -> reply(exchange, 200, "NOW: " + ZonedDateTime.now().format(GO_TIME));
                case "/hostname", "/hostName" -> reply(exchange, 200, Hostname.current());
                case "/clientip" -> reply(exchange, 200, ClientAddress.format(exchange.getRemoteAddress()));
                case "/echo" -> echo(exchange, query);
                case "/healthz" -> reply(exchange, ready.getAsBoolean() ? 200 : 412, "");
                case "/dial" -> {
                    NetexecDialHandler.Reply r = dial.dial(query);
                    reply(exchange, r.status(), r.body());
                }
                default -> reply(exchange, 404, "404 page not found\n");
            }
        }
    }

    private static void echo(HttpExchange exchange, Map<String, String> query) throws IOException {
        String msg = query.getOrDefault("msg", "");
        String code = query.getOrDefault("code", "");
        if (code.isEmpty()) {
            reply(exchange, 200, msg);
            return;
        }
        try {
            reply(exchange, Integer.parseInt(code), msg);
        } catch (NumberFormatException e) {
            reply(exchange, 200, "argument 'code' must be an integer or empty, got \"" + code + "\"\n");
        }
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        // 1xx/204/304 and HEAD carry no body; the JDK server refuses writes for them
        boolean bodyless = status < 200 || status == 204 || status == 304
                || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        byte[] bytes = bodyless ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** First value of each key, as Go's {@code FormValue}. */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }
}
