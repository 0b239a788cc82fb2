package dev.turnout.model;

import java.util.Locale;

/** The L4 protocols a Service port may carry, as Kubernetes spells them. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** The lower-case name iptables and nft use ({@code -p tcp}). */
    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a Kubernetes protocol; a missing value defaults to TCP as the API server does. */
    public static Protocol parse(String value) {
        if (value == null || value.isEmpty()) {
            return TCP;
        }
        return Protocol.valueOf(value);
    }
}
