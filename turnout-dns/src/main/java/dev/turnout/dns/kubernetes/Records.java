package dev.turnout.dns.kubernetes;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Small record constructors. */
public final class Records {
    private Records() {
    }

    /** An A record for an IPv4 address, AAAA for IPv6. */
    public static Record address(Name owner, InetAddress ip, long ttl) {
        return ip instanceof Inet4Address ? new ARecord(owner, DClass.IN, ttl, ip) : new AAAARecord(owner, DClass.IN, ttl, ip);
    }
}
