package dev.turnout.proxy.userspace;

import dev.turnout.model.Ips;
import dev.turnout.model.Protocol;

/** Where one listener listens: an address, a port and TCP or UDP. */
public record ListenerKey(String ip, int port, Protocol protocol) implements Comparable<ListenerKey> {
    @Override
    public String toString() {
        return protocol + " " + Ips.hostPort(ip, port);
    }

    @Override
    public int compareTo(ListenerKey o) {
        return toString().compareTo(o.toString());
    }
}
