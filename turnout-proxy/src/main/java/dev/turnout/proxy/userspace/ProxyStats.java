package dev.turnout.proxy.userspace;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the userspace dataplane, for tests and /metrics. */
public final class ProxyStats {
    /** TCP connections joined to a backend. */
    public final LongAdder connected = new LongAdder();
    /** Backend connect attempts that failed (refused, unreachable, timed out); another backend is tried. */
    public final LongAdder backendFailed = new LongAdder();
    /** Connections reset and datagrams dropped because no backend was left. */
    public final LongAdder noBackend = new LongAdder();
    /** UDP sessions opened. */
    public final LongAdder udpSessions = new LongAdder();
    /** UDP datagrams dropped: queue full while connecting, or a side not writable. */
    public final LongAdder udpDropped = new LongAdder();
}
