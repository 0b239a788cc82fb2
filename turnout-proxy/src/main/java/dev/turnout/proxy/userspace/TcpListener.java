package dev.turnout.proxy.userspace;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A TCP listener: each accepted connection gets a backend from {@link #backends()} and is relayed. */
final class TcpListener implements Listener {
    private final ProxyEngine engine;
    private final ListenerKey key;
    private final BackendSet backends;
    private final List<Channel> channels = new ArrayList<>();

    TcpListener(ProxyEngine engine, ListenerKey key, BackendSet backends) throws Exception {
        this.engine = engine;
        this.key = key;
        this.backends = backends;
        // With epoll, one listening socket per event loop (SO_REUSEPORT): the kernel spreads new
        // connections over them, and each connection stays on the loop that accepted it, with its
        // backend channel, so no connection is handed between threads.
        List<EventLoop> loops = new ArrayList<>();
        if (engine.transport().epoll()) {
            engine.group().forEach(e -> loops.add((EventLoop) e));
        } else {
            loops.add(null);
        }
        int port = key.port();
        for (EventLoop loop : loops) {
            ServerBootstrap sb = new ServerBootstrap()
                    .channel(engine.transport().serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyEngine.WATER_MARK)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, ProxyEngine.RECV)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            engine.track(ch);
                            ch.pipeline().addLast(new TcpRelay.Frontend(TcpListener.this));
                        }
                    });
            if (loop == null) {
                sb.group(engine.group());
            } else {
                sb.group(loop, loop).option(EpollChannelOption.SO_REUSEPORT, true);
            }
            Channel ch;
            try {
                ch = sb.bind(new InetSocketAddress(key.ip(), port)).sync().channel();
            } catch (Exception e) {
                channels.forEach(c -> c.close().syncUninterruptibly());
                throw e;
            }
            channels.add(ch);
            // Port 0: the others take the port the first one got.
            port = ((InetSocketAddress) ch.localAddress()).getPort();
        }
    }

    ProxyEngine engine() {
        return engine;
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
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    @Override
    public void backendsChanged() {
        // Established connections keep their backend until they end; new ones pick from the new set.
    }

    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
    }

    @Override
    public String toString() {
        return key + " → " + backends.name();
    }
}
