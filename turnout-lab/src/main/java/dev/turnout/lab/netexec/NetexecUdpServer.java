package dev.turnout.lab.netexec;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * agnhost's UDP protocol: one datagram in, one out. The request is trimmed and lower-cased before
 * matching, exactly as upstream, so {@code "echo Hi"} answers {@code "hi"}. Unknown commands get no reply.
 */
final class NetexecUdpServer implements Runnable {

    private final DatagramSocket socket;
    private final AtomicBoolean ready;

    /** Binds immediately so the caller learns the port (and any bind error) before serving starts. */
    NetexecUdpServer(int port, AtomicBoolean ready) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(port));
        this.ready = ready;
    }

    /** The socket is bound, so datagrams already queue: report ready before the serving thread runs. */
    void markReady() {
        ready.set(true);
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void run() {
        byte[] buf = new byte[2048];
        try {
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                socket.receive(packet);
                String reply = answer(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8),
                        (InetSocketAddress) packet.getSocketAddress());
                if (reply != null) {
                    byte[] out = reply.getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                }
            }
        } catch (IOException e) {
            if (!socket.isClosed()) {
                System.err.println("UDP server failed: " + e);
            }
        } finally {
            ready.set(false);
            System.err.println("UDP server exited");
        }
    }

    static String answer(String request, InetSocketAddress client) {
        String text = request.strip().toLowerCase(Locale.ROOT);
        if (text.equals("hostname")) {
            return Hostname.current();
        }
        if (text.startsWith("echo ")) {
            return text.substring("echo ".length());
        }
        if (text.equals("clientip")) {
            return ClientAddress.format(client);
        }
        if (!text.isEmpty()) {
            System.err.println("Unknown UDP command received from " + ClientAddress.format(client) + ": " + text);
        }
        return null;
    }

    void close() {
        socket.close();
    }
}
