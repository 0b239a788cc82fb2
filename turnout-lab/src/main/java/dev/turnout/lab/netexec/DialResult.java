package dev.turnout.lab.netexec;

/**
 * One request's outcome: a response (HTTP status, or 0 for UDP, and the body) or an error text.
 * Travels between processes as one line ({@link #toLine()}/{@link #fromLine(String)}), so bodies are escaped.
 */
public record DialResult(boolean ok, int status, String body, String error) {

    public static DialResult response(int status, String body) {
        return new DialResult(true, status, body, "");
    }

    public static DialResult failure(String error) {
        return new DialResult(false, 0, "", error == null ? "unknown error" : error);
    }

    public String toLine() {
        return ok ? "OK " + status + " " + escape(body) : "ERR " + escape(error);
    }

    public static DialResult fromLine(String line) {
        if (line.startsWith("OK ")) {
            String rest = line.substring(3);
            int space = rest.indexOf(' ');
            String code = space < 0 ? rest : rest.substring(0, space);
            String body = space < 0 ? "" : rest.substring(space + 1);
            return response(Integer.parseInt(code), unescape(body));
        }
        if (line.startsWith("ERR ")) {
            return failure(unescape(line.substring(4)));
        }
        throw new IllegalArgumentException("not a dial result line: " + line);
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
