package dev.turnout.proxy.userspace;

import dev.turnout.model.Endpoint;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One proxied TCP connection: an accepted client channel and the backend channel it was joined to.
 * Both are created with auto-read off, so a side is read only when the other side can take more
 * (backpressure both ways); buffers pass from one channel to the other as they were read (no copy).
 * A FIN from one side becomes a FIN to the other once what came before it is written (half-close);
 * a side that resets or fails makes the other side reset at once; otherwise a side that is fully
 * done closes the other after flushing.
 */
final class TcpRelay {
    private static final Logger LOG = Logger.getLogger(TcpRelay.class.getName());

    private TcpRelay() {
    }

    /** The handler of an accepted client channel: picks a backend, connects, then relays. */
    static final class Frontend extends ChannelInboundHandlerAdapter {
        private final TcpListener listener;
        private Set<Endpoint> tried = Set.of();
        private Channel backend;
        // Epoll reads a FIN (and data before it) even with auto-read off; kept until relaying starts.
        private List<Object> early;
        private boolean earlyInputShutdown;

        Frontend(TcpListener listener) {
            this.listener = listener;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connect(ctx.channel());
        }

        private void connect(Channel front) {
            InetSocketAddress client = (InetSocketAddress) front.remoteAddress();
            Endpoint ep = listener.backends().pick(client == null ? null : client.getAddress(), tried);
            if (ep == null) {
                listener.engine().stats().noBackend.increment();
                reset(front);
                return;
            }
            Channel back = listener.engine().newBackendChannel();
            listener.engine().track(back);
            InetSocketAddress to = listener.backends().address(ep);
            ChannelFuture f = front.eventLoop().register(back);
            if (f.isDone()) {
                f = f.isSuccess() ? back.connect(to) : f;
            } else {
                ChannelFuture registered = f;
                f = back.newPromise();
                var p = (io.netty.channel.ChannelPromise) f;
                registered.addListener((ChannelFutureListener) r -> {
                    if (r.isSuccess()) {
                        back.connect(to, p);
                    } else {
                        p.setFailure(r.cause());
                    }
                });
            }
            f.addListener((ChannelFutureListener) done -> {
                if (!front.isActive()) {
                    back.close();
                    return;
                }
                if (!done.isSuccess()) {
                    back.close();
                    LOG.log(Level.FINE, "backend " + ep + " of " + listener + " failed", done.cause());
                    listener.engine().stats().backendFailed.increment();
                    if (tried.isEmpty()) {
                        tried = new HashSet<>();
                    }
                    tried.add(ep);
                    connect(front);
                    return;
                }
                backend = back;
                front.pipeline().addLast(new Relay(back));
                back.pipeline().addLast(new Relay(front));
                listener.engine().stats().connected.increment();
                if (early != null) {
                    early.forEach(m -> back.write(m, back.voidPromise()));
                    early = null;
                    back.flush();
                }
                // From here on both sides read by themselves; a side stops reading only while its
                // peer cannot take more (see Relay).
                if (earlyInputShutdown) {
                    front.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } else {
                    front.config().setAutoRead(true);
                }
                back.config().setAutoRead(true);
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (backend != null) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (early == null) {
                early = new ArrayList<>(2);
            }
            early.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (backend == null && evt instanceof ChannelInputShutdownEvent) {
                earlyInputShutdown = true;
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (early != null) {
                early.forEach(ReferenceCountUtil::release);
                early = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (backend == null) {
                // The client failed before a backend answered; the connect listener drops the attempt.
                ctx.close();
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }

    /**
     * Relays what one channel reads to its peer. Installed on both channels of a connection once the
     * backend is connected.
     */
    static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;
        private boolean reset;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!peer.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            if (!peer.isWritable()) {
                // Backpressure: stop reading until the peer has written enough (see below).
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && peer.isActive()) {
                peer.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                Channel self = ctx.channel();
                // Our side sent FIN: pass it on after everything it sent before. A peer that has
                // sent its FIN already is then done both ways: close it (FIN as well).
                var pending = peer.unsafe().outboundBuffer();
                boolean peerDone = peer instanceof DuplexChannel d && d.isInputShutdown();
                if (pending != null && pending.isEmpty()) {
                    if (peerDone) {
                        peer.close();
                    } else {
                        shutdownOutput(peer);
                    }
                } else if (peerDone) {
                    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                } else {
                    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> shutdownOutput(peer));
                }
                closeIfDone(self);
                return;
            }
            ReferenceCountUtil.release(evt);
        }

        private static void shutdownOutput(Channel ch) {
            if (ch instanceof DuplexChannel d && ch.isActive()) {
                d.shutdownOutput().addListener((ChannelFutureListener) g -> closeIfDone(ch));
            }
        }

        private static void closeIfDone(Channel ch) {
            if (ch instanceof DuplexChannel d && d.isShutdown()) {
                ch.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!peer.isActive()) {
                return;
            }
            if (reset) {
                reset(peer);
            } else {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) {
                LOG.log(Level.WARNING, "relay error on " + ctx.channel(), cause);
            }
            reset = true;
            ctx.close();
        }
    }

    /** Closes with an RST: SO_LINGER 0, as a refused or failed connection should look to the client. */
    static void reset(Channel ch) {
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // already closed
        }
        ch.close();
    }
}
