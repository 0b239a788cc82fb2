package dev.turnout.proxy.userspace;

import dev.turnout.model.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A UDP listener. Each client address gets a session: a datagram socket connected to the backend
 * picked for it, which carries that client's datagrams there and whose replies go back to the
 * client from the listener's socket (so they come from the Service address). A session ends after
 * the idle timeout without datagrams either way, when its backend leaves the set, or with the
 * listener. Datagrams are dropped, never queued without bound, when a side cannot take more.
 * All session state lives on the listener's event loop.
 */
final class UdpListener implements Listener {
    /** Datagrams held per session while its socket connects. */
    static final int MAX_PENDING = 64;

    private final ProxyEngine engine;
    private final ListenerKey key;
    private final BackendSet backends;
    private final Channel channel;
    private final Map<InetSocketAddress, Session> sessions = new HashMap<>();

    UdpListener(ProxyEngine engine, ListenerKey key, BackendSet backends) throws InterruptedException {
        this.engine = engine;
        this.key = key;
        this.backends = backends;
        Bootstrap b = new Bootstrap().group(engine.group())
                .channel(engine.transport().datagramChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof DatagramPacket p) {
                            fromClient(p);
                        } else {
                            ReferenceCountUtil.release(msg);
                        }
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        for (Session s : sessions.values()) {
                            s.flush();
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP errors and the like: UDP has nobody to tell.
                    }
                });
        this.channel = b.bind(new InetSocketAddress(key.ip(), key.port())).sync().channel();
    }

    private void fromClient(DatagramPacket p) {
        InetSocketAddress client = p.sender();
        Session s = sessions.get(client);
        if (s == null) {
            Endpoint ep = backends.pick(client.getAddress(), Set.of());
            if (ep == null) {
                engine.stats().noBackend.increment();
                p.release();
                return;
            }
            s = new Session(client, ep);
            sessions.put(client, s);
            engine.stats().udpSessions.increment();
        }
        s.send(p.content());
    }

    /** Sessions on this listener; read on the event loop. */
    int sessions() {
        return channel.eventLoop().submit(sessions::size).syncUninterruptibly().getNow();
    }

    @Override
    public ListenerKey key() {
        return key;
    }

    @Override
    public BackendSet backends() {
        return backends;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void backendsChanged() {
        channel.eventLoop().execute(() -> {
            Set<Endpoint> live = Set.copyOf(backends.endpoints());
            for (Session s : new ArrayList<>(sessions.values())) {
                if (!live.contains(s.endpoint)) {
                    s.close();
                }
            }
        });
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        channel.eventLoop().submit(() -> new ArrayList<>(sessions.values()).forEach(Session::close))
                .syncUninterruptibly();
    }

    @Override
    public String toString() {
        return key + " → " + backends.name();
    }

    private final class Session {
        final InetSocketAddress client;
        final Endpoint endpoint;
        final Channel backend;
        ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
        boolean dirty;

        Session(InetSocketAddress client, Endpoint endpoint) {
            this.client = client;
            this.endpoint = endpoint;
            long idle = engine.udpIdleTimeout().toMillis();
            Bootstrap b = new Bootstrap().group(channel.eventLoop())
                    .channel(engine.transport().datagramChannel())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS),
                                    new FromBackend(Session.this));
                        }
                    });
            var f = b.connect(new InetSocketAddress(endpoint.ip(), endpoint.port()));
            backend = f.channel();
            engine.track(backend);
            backend.closeFuture().addListener(x -> {
                sessions.remove(client, this);
                releasePending();
            });
            f.addListener((ChannelFutureListener) done -> {
                if (!done.isSuccess()) {
                    engine.stats().backendFailed.increment();
                    backend.close();
                    return;
                }
                List<ByteBuf> queued = new ArrayList<>(pending);
                pending = null;
                for (ByteBuf buf : queued) {
                    backend.write(buf, backend.voidPromise());
                }
                backend.flush();
            });
        }

        void send(ByteBuf buf) {
            if (pending != null) {
                if (pending.size() < MAX_PENDING) {
                    pending.add(buf);
                } else {
                    engine.stats().udpDropped.increment();
                    buf.release();
                }
            } else if (backend.isActive() && backend.isWritable()) {
                backend.write(buf, backend.voidPromise());
                dirty = true;
            } else {
                engine.stats().udpDropped.increment();
                buf.release();
            }
        }

        void flush() {
            if (dirty) {
                dirty = false;
                backend.flush();
            }
        }

        private void releasePending() {
            if (pending != null) {
                pending.forEach(ByteBuf::release);
                pending = null;
            }
        }

        void close() {
            backend.close();
        }
    }

    private final class FromBackend extends ChannelInboundHandlerAdapter {
        private final Session session;

        FromBackend(Session session) {
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf content = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
            if (content == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!channel.isActive() || !channel.isWritable()) {
                engine.stats().udpDropped.increment();
                content.release();
                return;
            }
            // The buffer read from the backend goes out as is, addressed to the client.
            channel.write(new DatagramPacket(content, session.client), channel.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            channel.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A refused port shows up as an ICMP error on the connected socket: end the session so
            // the next datagram picks again.
            ctx.close();
        }
    }
}
