package dev.turnout.dns.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DNS over TCP (RFC 7766): two-byte length-prefixed messages, several queries per connection,
 * answered in order. Connections are capped (one thread each); past the cap a new connection is
 * closed at once. A connection idle for {@link #IDLE_MILLIS} is closed, as RFC 7766 6.2.3 advises.
 */
final class TcpTransport implements AutoCloseable {
    static final int MAX_CONNECTIONS = 128;
    static final int IDLE_MILLIS = 10_000;

    private final QueryHandler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "dns-tcp");
                t.setDaemon(true);
                return t;
            });
    private ServerSocket server;
    private Thread acceptor;

    TcpTransport(QueryHandler handler) {
        this.handler = handler;
    }

    InetSocketAddress bind(InetSocketAddress address) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 256);
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    void start() {
        acceptor = new Thread(this::accept, "dns-tcp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                continue;
            }
            try {
                pool.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        open.add(s);
        boolean v6 = s.getInetAddress() instanceof Inet6Address;
        try (s) {
            s.setSoTimeout(IDLE_MILLIS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] buf = new byte[len];
                in.readFully(buf);
                byte[] reply = handler.serve(buf, len, Transport.tcp, v6).get(10, TimeUnit.SECONDS);
                if (reply == null) {
                    return; // not a query we answer: RFC 7766 lets the server close
                }
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException | TimeoutException | java.util.concurrent.ExecutionException e) {
            // connection dropped, slow or broken: close it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(TcpTransport::closeQuietly);
        pool.shutdownNow();
    }
}
