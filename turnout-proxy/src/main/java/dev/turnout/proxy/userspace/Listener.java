package dev.turnout.proxy.userspace;

import java.net.InetSocketAddress;

/** A bound TCP or UDP listener of the proxy. Closing it stops new connections only. */
public interface Listener extends AutoCloseable {
    ListenerKey key();

    BackendSet backends();

    /** The bound address (the real port when the key's port was 0). */
    InetSocketAddress localAddress();

    /** Called after {@link #backends()} changed; UDP drops sessions whose backend is gone. */
    void backendsChanged();

    @Override
    void close();
}
