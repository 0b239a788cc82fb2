package dev.turnout.proxy.iptables;

/**
 * Upstream's {@code LineBuffer}: arguments are joined with single spaces and each rule ends with a
 * newline; {@link #lines()} counts rules written. A discarding buffer counts lines but keeps no
 * text, as upstream uses for the chains of unchanged Services on a partial sync (the rule-count
 * metric still includes them).
 */
final class RuleBuffer {
    private final StringBuilder sb;
    private final boolean discard;
    private int lines;
    private boolean lineStart = true;

    private RuleBuffer(boolean discard, int capacity) {
        this.discard = discard;
        this.sb = discard ? null : new StringBuilder(capacity);
    }

    static RuleBuffer create(int capacity) {
        return new RuleBuffer(false, capacity);
    }

    static RuleBuffer discarding() {
        return new RuleBuffer(true, 0);
    }

    /** Appends one argument (separated from the previous one by a space). */
    RuleBuffer a(String arg) {
        if (!discard) {
            if (!lineStart) {
                sb.append(' ');
            }
            sb.append(arg);
        }
        lineStart = false;
        return this;
    }

    RuleBuffer a(int arg) {
        if (!discard) {
            if (!lineStart) {
                sb.append(' ');
            }
            sb.append(arg);
        }
        lineStart = false;
        return this;
    }

    /** Appends {@code "x y"}: a comment argument that upstream pre-quotes because it has spaces. */
    RuleBuffer quoted(String x, String y) {
        if (!discard) {
            if (!lineStart) {
                sb.append(' ');
            }
            sb.append('"').append(x).append(y).append('"');
        }
        lineStart = false;
        return this;
    }

    RuleBuffer quoted(String x, String y, String z) {
        if (!discard) {
            if (!lineStart) {
                sb.append(' ');
            }
            sb.append('"').append(x).append(y).append(z).append('"');
        }
        lineStart = false;
        return this;
    }

    /** {@code -A chain}: starts a rule. */
    RuleBuffer append(String chain) {
        return a("-A").a(chain);
    }

    /** Ends the current line. */
    void end() {
        if (!discard) {
            sb.append('\n');
        }
        lines++;
        lineStart = true;
    }

    /** Writes the chain declaration {@code :NAME - [0:0]}, which also flushes an existing chain. */
    void chain(String name) {
        if (!discard) {
            sb.append(':').append(name).append(" - [0:0]\n");
        }
        lines++;
    }

    int lines() {
        return lines;
    }

    int length() {
        return discard ? 0 : sb.length();
    }

    void appendTo(StringBuilder out) {
        if (!discard) {
            out.append(sb);
        }
    }
}
