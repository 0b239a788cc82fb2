package dev.turnout.proxy.userspace;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/** Netty's native epoll transport where it loads (Linux x86_64), else NIO; one choice per proxy. */
public record Transport(String name, Class<? extends ServerSocketChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel, Class<? extends DatagramChannel> datagramChannel) {

    public static final Transport EPOLL = new Transport("epoll", EpollServerSocketChannel.class,
            EpollSocketChannel.class, EpollDatagramChannel.class);
    public static final Transport NIO = new Transport("nio", NioServerSocketChannel.class, NioSocketChannel.class,
            NioDatagramChannel.class);

    /** Epoll when {@code preferEpoll} and it is available, else NIO. */
    public static Transport choose(boolean preferEpoll) {
        return preferEpoll && Epoll.isAvailable() ? EPOLL : NIO;
    }

    public boolean epoll() {
        return this == EPOLL;
    }

    SocketChannel newSocketChannel() {
        return epoll() ? new EpollSocketChannel() : new NioSocketChannel();
    }

    public EventLoopGroup group(int threads, ThreadFactory factory) {
        return epoll() ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }
}
