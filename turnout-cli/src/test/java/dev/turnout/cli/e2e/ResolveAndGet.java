package dev.turnout.cli.e2e;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A pod's client: resolves a short name through the system resolver (glibc, so the pod's
 * resolv.conf search path and ndots apply), prints the addresses, then GETs
 * {@code http://NAME:PORT/hostname} COUNT times by name and prints each body.
 */
public final class ResolveAndGet {
    private ResolveAndGet() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("http.keepAlive", "false"); // a new connection, so a new proxy choice, per request
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        for (InetAddress a : InetAddress.getAllByName(name)) {
            System.out.println("resolved " + a.getHostAddress());
        }
        for (int i = 0; i < count; i++) {
            HttpURLConnection c = (HttpURLConnection) new URL("http://" + name + ":" + port + "/hostname").openConnection();
            c.setConnectTimeout(3000);
            c.setReadTimeout(3000);
            try (InputStream in = c.getInputStream()) {
                System.out.println("body " + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            } finally {
                c.disconnect();
            }
        }
    }
}
