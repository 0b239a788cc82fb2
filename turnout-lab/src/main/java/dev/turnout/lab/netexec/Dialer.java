package dev.turnout.lab.netexec;

import dev.turnout.model.Ips;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one request to an IP literal over a fresh TCP connection or a fresh UDP socket, as agnhost's
 * dialer does: every request gets its own source port, so each one is a new conntrack entry and a new
 * load-balancing decision. HTTP is spoken by hand (HTTP/1.1, {@code Connection: close}) to keep full
 * control: no connection pool, no proxy selection, no resolver.
 */
public final class Dialer {

    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final InetSocketAddress local;

    public Dialer(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, null);
    }

    /**
     * @param local the source address (and, for UDP, port) to bind before sending; null for the
     *     kernel's choice. A fixed port makes successive UDP requests one conntrack flow.
     */
    public Dialer(Duration connectTimeout, Duration readTimeout, InetSocketAddress local) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.local = local;
    }

    /** GETs {@code request} (a path such as {@code /hostname}; a leading slash is added if missing). */
    public DialResult http(String ip, int port, String request) {
        InetAddress address = Ips.parse(ip);
        if (address == null) {
            return DialResult.failure("not an IP literal: " + ip);
        }
        String path = request.startsWith("/") ? request : "/" + request;
        try (Socket socket = new Socket()) {
            if (local != null) {
                // TCP: the source IP only; a fixed port would collide with the previous TIME_WAIT
                socket.bind(new InetSocketAddress(local.getAddress(), 0));
            }
            socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            String head = "GET " + path + " HTTP/1.1\r\nHost: " + Ips.hostPort(ip, port)
                    + "\r\nUser-Agent: turnout-netexec\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return HttpResponseParser.parse(readAll(socket.getInputStream()));
        } catch (IOException | RuntimeException e) {
            return DialResult.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Sends {@code payload} as one datagram from a fresh socket and waits for one datagram back. */
    public DialResult udp(String ip, int port, String payload) {
        try (UdpSession session = udpSession(ip, port)) {
            return session.request(payload);
        } catch (IOException | RuntimeException e) {
            return DialResult.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * One UDP socket, connected to ip:port, for any number of requests: they all share a source
     * port and so one conntrack flow, as a long-lived UDP client (a DNS resolver, say) does.
     */
    public UdpSession udpSession(String ip, int port) throws IOException {
        InetAddress address = Ips.parse(ip);
        if (address == null) {
            throw new IllegalArgumentException("not an IP literal: " + ip);
        }
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.setReuseAddress(true);
            socket.bind(local);
            socket.setSoTimeout((int) readTimeout.toMillis());
            // connect() filters replies to this peer, like Go's DialUDP, and surfaces ICMP port-unreachable
            socket.connect(new InetSocketAddress(address, port));
            return new UdpSession(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A connected UDP socket; each request is one datagram out and one back (or an error). */
    public static final class UdpSession implements AutoCloseable {
        private final DatagramSocket socket;

        private UdpSession(DatagramSocket socket) {
            this.socket = socket;
        }

        public DialResult request(String payload) {
            try {
                byte[] data = payload.getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(data, data.length));
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                socket.receive(reply);
                return DialResult.response(0, new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return DialResult.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
        return buf.toByteArray();
    }
}
