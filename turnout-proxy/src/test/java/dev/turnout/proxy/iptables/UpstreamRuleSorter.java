package dev.turnout.proxy.iptables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test helper: orders iptables-restore text as upstream's proxier_test.go
 * {@code sortIPTablesRules} does before comparing with its expected outputs (which are written
 * in that order): tables by name; chains KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* by name,
 * then the rest; rules of each chain together; the rules of KUBE-NODEPORTS and KUBE-SERVICES
 * stably by the Service name in their comment (the "must be the last rule" rule stays last);
 * deleted chains as {@code -X} lines after all rules.
 */
final class UpstreamRuleSorter {
    private UpstreamRuleSorter() {
    }

    private static final class Table {
        final Map<String, List<String>> rules = new LinkedHashMap<>();
        final Set<String> deleted = new LinkedHashSet<>();
    }

    static String sort(String restore) {
        TreeMap<String, Table> tables = new TreeMap<>();
        Table t = null;
        for (String line : restore.split("\n")) {
            if (line.isEmpty() || line.equals("COMMIT")) {
                continue;
            }
            if (line.startsWith("*")) {
                t = new Table();
                tables.put(line.substring(1), t);
            } else if (line.startsWith(":")) {
                t.rules.putIfAbsent(line.substring(1, line.indexOf(' ')), new ArrayList<>());
            } else if (line.startsWith("-A ")) {
                String chain = line.split(" ", 3)[1];
                t.rules.computeIfAbsent(chain, k -> new ArrayList<>()).add(line);
            } else if (line.startsWith("-X ")) {
                t.deleted.add(line.substring(3));
            } else {
                throw new IllegalArgumentException("unexpected line: " + line);
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            Table table = e.getValue();
            List<String> chains = new ArrayList<>(table.rules.keySet());
            chains.sort(UpstreamRuleSorter::compareChains);
            out.append('*').append(e.getKey()).append('\n');
            for (String c : chains) {
                out.append(':').append(c).append(" - [0:0]\n");
            }
            for (String c : chains) {
                List<String> rules = new ArrayList<>(table.rules.get(c));
                if (c.equals("KUBE-NODEPORTS") || c.equals("KUBE-SERVICES")) {
                    rules.sort(byServiceName());
                }
                rules.forEach(r -> out.append(r).append('\n'));
            }
            for (String c : chains) {
                if (table.deleted.contains(c)) {
                    out.append("-X ").append(c).append('\n');
                }
            }
            out.append("COMMIT\n");
        }
        return out.toString();
    }

    private static int compareChains(String a, String b) {
        int ra = rank(a);
        int rb = rank(b);
        return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
    }

    private static int rank(String c) {
        if (c.equals("KUBE-NODEPORTS")) {
            return 0;
        }
        if (c.equals("KUBE-SERVICES")) {
            return 1;
        }
        return c.startsWith("KUBE-") ? 2 : 3;
    }

    private static Comparator<String> byServiceName() {
        return (r1, r2) -> {
            String c1 = comment(r1);
            String c2 = comment(r2);
            boolean last1 = c1 != null && c1.contains("must be the last rule");
            boolean last2 = c2 != null && c2.contains("must be the last rule");
            if (last1 || last2) {
                return Boolean.compare(last1, last2);
            }
            if (c1 == null || c2 == null) {
                return 0;
            }
            return serviceName(c1).compareTo(serviceName(c2));
        };
    }

    private static String serviceName(String comment) {
        for (int i = 0; i < comment.length(); i++) {
            char ch = comment.charAt(i);
            if (ch == ' ' || ch == ':') {
                return comment.substring(0, i);
            }
        }
        return comment;
    }

    static String comment(String rule) {
        int i = rule.indexOf("--comment ");
        if (i < 0) {
            return null;
        }
        i += "--comment ".length();
        if (rule.charAt(i) == '"') {
            return rule.substring(i + 1, rule.indexOf('"', i + 1));
        }
        int end = rule.indexOf(' ', i);
        return end < 0 ? rule.substring(i) : rule.substring(i, end);
    }
}
