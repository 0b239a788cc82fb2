package dev.turnout.proxy.userspace;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;

/** A TCP listener: each accepted connection gets a backend from {@link #backends()} and is relayed. */
final class TcpListener implements Listener {
    private final ProxyEngine engine;
    private final ListenerKey key;
    private final BackendSet backends;
    private final Channel channel;

    TcpListener(ProxyEngine engine, ListenerKey key, BackendSet backends) throws InterruptedException {
        this.engine = engine;
        this.key = key;
        this.backends = backends;
        ServerBootstrap sb = new ServerBootstrap().group(engine.group())
                .channel(engine.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        engine.track(ch);
                        ch.pipeline().addLast(new TcpRelay.Frontend(TcpListener.this));
                    }
                });
        this.channel = sb.bind(new InetSocketAddress(key.ip(), key.port())).sync().channel();
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
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void backendsChanged() {
        // Established connections keep their backend until they end; new ones pick from the new set.
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    @Override
    public String toString() {
        return key + " → " + backends.name();
    }
}
