package dev.turnout.proxy.iptables;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code --probability} values: Go's {@code fmt.Sprintf("%0.10f", 1.0/float64(n))}. Go rounds the
 * exact binary value of the double half-to-even; BigDecimal of the double does the same exactly.
 * Like upstream's precomputed table, each value is computed once and cached.
 */
final class Probability {
    private static volatile String[] cache = new String[0];

    private Probability() {
    }

    static String of(int n) {
        String[] c = cache;
        if (n < c.length) {
            return c[n];
        }
        return grow(n);
    }

    private static synchronized String grow(int n) {
        String[] c = cache;
        if (n < c.length) {
            return c[n];
        }
        String[] next = new String[Math.max(n + 1, Math.max(16, c.length * 2))];
        System.arraycopy(c, 0, next, 0, c.length);
        for (int i = c.length; i < next.length; i++) {
            next[i] = i == 0 ? "<bad value>" : compute(i);
        }
        cache = next;
        return next[n];
    }

    static String compute(int n) {
        return new BigDecimal(1.0 / n).setScale(10, RoundingMode.HALF_EVEN).toPlainString();
    }
}
