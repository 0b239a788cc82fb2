package dev.turnout.proxy.metrics;

/** One metric family that can write itself in the Prometheus text format (version 0.0.4). */
public interface Collector {
    String name();

    void writeTo(StringBuilder out);

    /** The HELP and TYPE lines; help gets component-base's stability prefix, as kube-proxy's. */
    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(" [ALPHA] ").append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A sample value as Go's strconv.FormatFloat(v, 'g', -1, 64) would roughly print it. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String exp = s.substring(e + 1);
        String sign = exp.startsWith("-") ? "-" : "+";
        String digits = exp.startsWith("-") ? exp.substring(1) : exp;
        return s.substring(0, e) + "e" + sign + (digits.length() < 2 ? "0" + digits : digits);
    }

    /** {@code {a="x",b="y"}} for label names and values; empty for no labels. */
    static String labels(String[] names, java.util.List<String> values) {
        if (names.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names[i]).append("=\"")
                    .append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        return sb.append('}').toString();
    }
}
