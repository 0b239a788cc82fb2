package dev.turnout.proxy.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code LineBuffer}: arguments are joined with single spaces and each rule ends with a
 * newline; {@link #lines()} counts rules written. A discarding buffer counts lines but keeps no
 * text, as upstream uses for the chains of unchanged Services on a partial sync (the rule-count
 * metric still includes them).
 *
 * <p>Besides rules written argument by argument, a buffer takes whole pre-rendered blocks of lines
 * ({@link #lines(String, int)}), which it keeps as they are, to be joined only once, at the end.
 */
final class RuleBuffer {
    private final StringBuilder sb;
    private final boolean discard;
    /** Text that precedes {@link #sb}, in order. */
    private final List<String> pieces;
    private int piecesLength;
    private int lines;
    private boolean lineStart = true;

    private RuleBuffer(boolean discard, int capacity) {
        this.discard = discard;
        this.sb = discard ? null : new StringBuilder(capacity);
        this.pieces = discard ? null : new ArrayList<>();
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

    /** Appends {@code count} whole lines, already rendered (each ending with a newline). */
    void lines(String text, int count) {
        lines += count;
        if (discard || text.isEmpty()) {
            return;
        }
        flush();
        pieces.add(text);
        piecesLength += text.length();
    }

    private void flush() {
        if (sb.length() > 0) {
            String s = sb.toString();
            pieces.add(s);
            piecesLength += s.length();
            sb.setLength(0);
        }
    }

    int lines() {
        return lines;
    }

    int length() {
        return discard ? 0 : piecesLength + sb.length();
    }

    /** The text written so far, as one String. */
    String text() {
        if (discard) {
            return "";
        }
        if (pieces.isEmpty()) {
            return sb.toString();
        }
        flush();
        return String.join("", pieces);
    }

    /** Forgets everything written, to be reused for other text. */
    void clear() {
        if (!discard) {
            sb.setLength(0);
            pieces.clear();
            piecesLength = 0;
        }
        lines = 0;
        lineStart = true;
    }

    /** Adds the text written so far to {@code out} as pieces, in order. */
    void appendTo(List<String> out) {
        if (!discard) {
            flush();
            out.addAll(pieces);
        }
    }
}
