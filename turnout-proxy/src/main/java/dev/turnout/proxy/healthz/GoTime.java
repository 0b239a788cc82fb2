package dev.turnout.proxy.healthz;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats an instant as Go's {@code time.Time.String()} does for a UTC time, because kube-proxy's
 * /healthz body prints times with {@code %q}: {@code "2006-01-02 15:04:05.999999999 +0000 UTC"},
 * fraction without trailing zeros, and Go's zero time for "never".
 */
final class GoTime {
    private static final DateTimeFormatter BASE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    static final String ZERO = "0001-01-01 00:00:00 +0000 UTC";

    private GoTime() {
    }

    static String format(Instant t) {
        if (t == null) {
            return ZERO;
        }
        StringBuilder sb = new StringBuilder(BASE.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos).replaceAll("0+$", "");
            sb.append('.').append(frac);
        }
        return sb.append(" +0000 UTC").toString();
    }
}
