package dev.turnout.lab.netexec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * agnhost's {@code /dial}: this pod dials host:port {@code tries} times and reports
 * {@code {"responses":[...],"errors":[...]}}; the workhorse of upstream pod-to-service e2e checks.
 */
final class NetexecDialHandler {

    record Reply(int status, String body) {
    }

    private final Dialer dialer = new Dialer(Duration.ofSeconds(5), Duration.ofSeconds(5));

    Reply dial(Map<String, String> query) {
        String host = query.getOrDefault("host", "");
        String portText = query.getOrDefault("port", "");
        String request = query.getOrDefault("request", "");
        String protocol = query.getOrDefault("protocol", "").toLowerCase(Locale.ROOT);
        int tries;
        int port;
        try {
            tries = Integer.parseInt(query.getOrDefault("tries", "1"));
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            return new Reply(400, "tries and/or port parameter is invalid. " + e.getMessage() + "\n");
        }
        if (request.isEmpty()) {
            return new Reply(400, "request parameter not specified.\n");
        }
        if (!protocol.isEmpty() && !protocol.equals("http") && !protocol.equals("udp")) {
            return new Reply(400, "unsupported protocol. " + protocol + "\n");
        }
        List<String> responses = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < tries; i++) {
            DialResult r = protocol.equals("udp") ? dialer.udp(host, port, request) : dialer.http(host, port, request);
            if (r.ok()) {
                responses.add(r.body());
            } else {
                errors.add(r.error());
            }
        }
        StringBuilder json = new StringBuilder("{");
        if (!responses.isEmpty()) {
            json.append("\"responses\":").append(jsonArray(responses));
        }
        if (!errors.isEmpty()) {
            json.append(responses.isEmpty() ? "" : ",").append("\"errors\":").append(jsonArray(errors));
        }
        return new Reply(200, json.append('}').toString());
    }

    private static String jsonArray(List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"');
            for (char c : items.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }
}
