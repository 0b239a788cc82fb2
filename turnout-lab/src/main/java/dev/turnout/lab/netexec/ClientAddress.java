package dev.turnout.lab.netexec;

import dev.turnout.model.Ips;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Formats a peer as Go's {@code RemoteAddr}: {@code ip:port}, IPv6 bracketed, never a reverse-resolved name. */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String format(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        String ip = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int zone = ip.indexOf('%');
            ip = Ips.canonical(zone >= 0 ? ip.substring(0, zone) : ip);
        }
        return Ips.hostPort(ip, peer.getPort());
    }
}
