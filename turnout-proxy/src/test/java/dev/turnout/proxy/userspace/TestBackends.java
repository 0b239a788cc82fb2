package dev.turnout.proxy.userspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** Loopback backends that behave well or badly, on port 0; each closes everything it opened. */
final class TestBackends {
    enum Behaviour {
        /** Echoes until EOF, then half-closes its side and closes. */
        ECHO,
        /** Writes its name, then closes. */
        NAME,
        /** Closes at once after accepting (FIN). */
        CLOSE,
        /** Resets at once after accepting (RST). */
        RESET,
        /** Accepts and never reads or writes. */
        STALL,
        /** Writes without end and never reads. */
        FLOOD
    }

    static final class Tcp implements AutoCloseable {
        final String name;
        final Behaviour behaviour;
        final ServerSocket server;
        final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backend");
            t.setDaemon(true);
            return t;
        });
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final AtomicLong accepted = new AtomicLong();

        Tcp(String name, Behaviour behaviour) throws IOException {
            this.name = name;
            this.behaviour = behaviour;
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
            pool.execute(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                open.add(s);
                pool.execute(() -> serve(s));
            }
        }

        private void serve(Socket s) {
            try {
                switch (behaviour) {
                    case ECHO -> {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] buf = new byte[16384];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            out.write(buf, 0, n);
                        }
                        s.shutdownOutput();
                    }
                    case NAME -> s.getOutputStream().write(name.getBytes(StandardCharsets.US_ASCII));
                    case CLOSE -> {
                    }
                    case RESET -> s.setSoLinger(true, 0);
                    case STALL -> {
                        // Wait for the peer to go away, without reading: a read would drain the buffers.
                        while (!s.isClosed()) {
                            Thread.sleep(20);
                        }
                    }
                    case FLOOD -> {
                        byte[] buf = new byte[65536];
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            out.write(buf);
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            } catch (IOException | InterruptedException e) {
                // the peer went away
            } finally {
                close(s);
            }
        }

        private void close(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
            open.remove(s);
        }

        /** Closes what STALL holds open: the proxy should then see the backend go. */
        void dropAll() {
            open.forEach(this::close);
        }

        @Override
        public void close() throws IOException {
            server.close();
            dropAll();
            pool.shutdownNow();
        }
    }

    /** Answers each datagram with its name, from the socket it came to. */
    static final class Udp implements AutoCloseable {
        final String name;
        final DatagramSocket socket;
        final Thread thread;

        Udp(String name) throws SocketException {
            this.name = name;
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::loop, "udp-backend-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void loop() {
            byte[] buf = new byte[2048];
            byte[] reply = name.getBytes(StandardCharsets.US_ASCII);
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private TestBackends() {
    }
}
