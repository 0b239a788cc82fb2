package dev.turnout.proxy.userspace;

import dev.turnout.model.Protocol;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The userspace dataplane's Netty side: one event loop group, the listeners bound on it, and every
 * connection channel it opened (client and backend sides of TCP, backend sockets of UDP sessions),
 * so that they can be counted and closed. It knows nothing of Services; {@link UserspaceProxier}
 * decides which listeners exist and what their backends are.
 */
public final class ProxyEngine implements AutoCloseable {
    /** How long a backend may take to accept a connection before the next one is tried. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a UDP session lives without a datagram either way. */
    public static final Duration DEFAULT_UDP_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Transport transport;
    private final EventLoopGroup group;
    private final Duration connectTimeout;
    private final Duration udpIdleTimeout;
    private final ProxyStats stats = new ProxyStats();
    private final ChannelGroup connections = new DefaultChannelGroup("turnout-connections", GlobalEventExecutor.INSTANCE);
    private final Map<ListenerKey, Listener> listeners = new TreeMap<>();

    /** @param threads event loop threads; 0 means Netty's default (twice the cores) */
    public ProxyEngine(Transport transport, int threads, Duration connectTimeout, Duration udpIdleTimeout) {
        this.transport = transport;
        this.group = transport.group(threads, new DefaultThreadFactory("turnout-userspace", true));
        this.connectTimeout = connectTimeout;
        this.udpIdleTimeout = udpIdleTimeout;
    }

    public static ProxyEngine withDefaults() {
        return new ProxyEngine(Transport.choose(true), 0, DEFAULT_CONNECT_TIMEOUT, DEFAULT_UDP_IDLE_TIMEOUT);
    }

    public Transport transport() {
        return transport;
    }

    EventLoopGroup group() {
        return group;
    }

    int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    }

    Duration udpIdleTimeout() {
        return udpIdleTimeout;
    }

    public ProxyStats stats() {
        return stats;
    }

    /**
     * Per-connection write buffer bounds: above the high mark the other side stops being read
     * until the buffer drains below the low mark. What the proxy holds per direction of a
     * connection is about the high mark plus one read.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);

    /** Reads grow from 2 KiB up to 256 KiB as a connection shows it has that much to read. */
    static final io.netty.channel.RecvByteBufAllocator RECV = new io.netty.channel.AdaptiveRecvByteBufAllocator(
            2048, 16384, 256 * 1024);

    /**
     * Turns off Netty's sampling buffer-leak detector unless its level is set explicitly
     * ({@code -Dio.netty.leakDetection.level}): production proxies do not pay for it.
     */
    public static void quietLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** A new, unregistered backend TCP channel: auto-read off, half-closure allowed. */
    Channel newBackendChannel() {
        io.netty.channel.socket.SocketChannel ch = transport.newSocketChannel();
        var c = ch.config();
        c.setAutoRead(false);
        c.setAllowHalfClosure(true);
        c.setTcpNoDelay(true);
        c.setKeepAlive(true);
        c.setConnectTimeoutMillis(connectTimeoutMillis());
        c.setWriteBufferWaterMark(WATER_MARK);
        c.setRecvByteBufAllocator(RECV);
        return ch;
    }

    void track(Channel ch) {
        connections.add(ch);
    }

    /** Open connection channels: two per proxied TCP connection, one per UDP session. */
    public int openChannels() {
        return connections.size();
    }

    /**
     * Bytes written to connection channels but not yet taken by the kernel: what the proxy itself
     * buffers. Backpressure keeps it near one write-buffer high watermark per connection.
     */
    public long pendingOutboundBytes() {
        long total = 0;
        for (Channel ch : connections) {
            var buf = ch.unsafe().outboundBuffer();
            if (buf != null) {
                total += buf.totalPendingWriteBytes();
            }
        }
        return total;
    }

    /** One line per open connection channel, for diagnostics. */
    public String describeConnections() {
        StringBuilder b = new StringBuilder();
        for (Channel ch : connections) {
            b.append(ch).append(" active=").append(ch.isActive());
            if (ch instanceof io.netty.channel.socket.DuplexChannel d) {
                b.append(" in-shut=").append(d.isInputShutdown()).append(" out-shut=").append(d.isOutputShutdown());
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Binds a listener for {@code key} relaying to {@code backends}; fails if the address cannot be bound. */
    public synchronized Listener open(ListenerKey key, BackendSet backends) throws Exception {
        if (listeners.containsKey(key)) {
            throw new IllegalStateException(key + " is already open");
        }
        Listener l = key.protocol() == Protocol.UDP ? new UdpListener(this, key, backends)
                : new TcpListener(this, key, backends);
        listeners.put(key, l);
        return l;
    }

    /** Stops listening on {@code key}; TCP connections it accepted go on until they end. */
    public synchronized void close(ListenerKey key) {
        Listener l = listeners.remove(key);
        if (l != null) {
            l.close();
        }
    }

    public synchronized Map<ListenerKey, Listener> listeners() {
        return Map.copyOf(listeners);
    }

    /** Closes every listener and connection, then the event loops. */
    @Override
    public void close() {
        synchronized (this) {
            listeners.values().forEach(Listener::close);
            listeners.clear();
        }
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
