package dev.turnout.proxy.kernel;

import dev.turnout.model.Protocol;

/**
 * Deletes conntrack flows, as upstream's exec-based {@code conntrack.Interface}. Finding no flow to
 * delete is not an error.
 */
public interface Conntrack {
    /** Flows whose original destination is {@code ip}: {@code -D --orig-dst IP -p PROTO}. */
    void clearEntriesForIp(String ip, Protocol protocol) throws KernelException;

    /** Flows to a (node) port: {@code -D -p PROTO --dport PORT}. */
    void clearEntriesForPort(int port, boolean ipv6, Protocol protocol) throws KernelException;

    /** Flows to {@code origin} DNATed to {@code dest}: {@code -D --orig-dst ORIGIN --dst-nat DEST}. */
    void clearEntriesForNat(String origin, String dest, Protocol protocol) throws KernelException;

    /** Flows to {@code port} DNATed to {@code dest}: {@code -D -p PROTO --dport PORT --dst-nat DEST}. */
    void clearEntriesForPortNat(String dest, int port, Protocol protocol) throws KernelException;
}
