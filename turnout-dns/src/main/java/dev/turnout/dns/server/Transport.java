package dev.turnout.dns.server;

/** The transport a query came over; names as CoreDNS's {@code proto} metric label. */
public enum Transport {
    udp, tcp
}
