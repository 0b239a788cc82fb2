package dev.turnout.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code dig} against a server on loopback and returns its output. */
final class Dig {
    private Dig() {
    }

    static String run(InetSocketAddress server, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server.getHostString(), "-p",
                String.valueOf(server.getPort()), "+tries=1", "+time=3"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("dig did not finish: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The lines of one section ("ANSWER", "AUTHORITY", "ADDITIONAL") with whitespace collapsed. */
    static List<String> section(String output, String name) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : output.split("\n")) {
            if (line.startsWith(";; " + name + " SECTION:")) {
                in = true;
                continue;
            }
            if (in) {
                if (line.isBlank()) {
                    break;
                }
                lines.add(line.trim().replaceAll("\\s+", " "));
            }
        }
        return lines;
    }

    static String status(String output) {
        int i = output.indexOf("status: ");
        return i < 0 ? "none" : output.substring(i + 8, output.indexOf(',', i));
    }

    static String flags(String output) {
        int i = output.indexOf(";; flags: ");
        return i < 0 ? "" : output.substring(i + 10, output.indexOf(';', i + 10));
    }
}
