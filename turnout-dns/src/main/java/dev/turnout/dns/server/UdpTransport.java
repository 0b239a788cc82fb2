package dev.turnout.dns.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * DNS over UDP: one blocking receive loop per socket, several sockets on the same port with
 * SO_REUSEPORT so the kernel spreads queries over the cores. Cluster answers are computed on the
 * receiving thread; forwarded ones are sent when the upstream answers. Each loop owns one fixed
 * buffer, and queued datagrams live only in the kernel's socket buffer, so a flood cannot grow
 * the heap.
 */
final class UdpTransport implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65535;

    private final QueryHandler handler;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private InetSocketAddress bound;

    UdpTransport(QueryHandler handler) {
        this.handler = handler;
    }

    /** Binds {@code sockets} sockets to {@code address} (port 0: a free port, shared by all). */
    InetSocketAddress bind(InetSocketAddress address, int sockets) throws IOException {
        for (int i = 0; i < sockets; i++) {
            DatagramChannel ch = DatagramChannel.open(address.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            if (sockets > 1 && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            try {
                ch.bind(i == 0 ? address : bound);
            } catch (IOException e) {
                ch.close();
                if (i == 0) {
                    throw e;
                }
                break; // no SO_REUSEPORT here: one socket serves
            }
            if (i == 0) {
                bound = (InetSocketAddress) ch.getLocalAddress();
            }
            channels.add(ch);
        }
        return bound;
    }

    void start() {
        for (int i = 0; i < channels.size(); i++) {
            DatagramChannel ch = channels.get(i);
            Thread t = new Thread(() -> loop(ch), "dns-udp-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(DatagramChannel ch) {
        ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
        while (ch.isOpen()) {
            SocketAddress from;
            try {
                in.clear();
                from = ch.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // e.g. an ICMP error reported on the socket: keep serving
            }
            if (from == null) {
                continue;
            }
            boolean v6 = from instanceof InetSocketAddress isa && isa.getAddress() instanceof Inet6Address;
            try {
                var reply = handler.serve(in.array(), in.position(), Transport.udp, v6);
                byte[] done = reply.getNow(null);
                if (done != null) {
                    send(ch, done, from);
                } else if (!reply.isDone()) {
                    reply.thenAccept(b -> send(ch, b, from));
                }
            } catch (RuntimeException e) {
                // a query that breaks the handler is dropped, never the loop
            }
        }
    }

    private static void send(DatagramChannel ch, byte[] bytes, SocketAddress to) {
        if (bytes == null) {
            return;
        }
        try {
            ch.send(ByteBuffer.wrap(bytes), to);
        } catch (IOException e) {
            // the client went away; UDP has nobody to tell
        }
    }

    @Override
    public void close() {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
        threads.clear();
    }
}
