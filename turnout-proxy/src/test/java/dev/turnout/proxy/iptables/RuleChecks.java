package dev.turnout.proxy.iptables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Structural checks on iptables-restore text, after upstream's checkIPTablesRuleJumps. */
final class RuleChecks {
    static final Set<String> BUILTIN_TARGETS =
            Set.of("ACCEPT", "REJECT", "DROP", "MARK", "RETURN", "DNAT", "SNAT", "MASQUERADE");
    /** Chains kube-proxy always declares, used or not (upstream exempts the same ones). */
    static final Set<String> TOP_LEVEL = Set.of("KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS",
            "KUBE-POSTROUTING", "KUBE-FORWARD", "KUBE-MARK-MASQ", "KUBE-PROXY-FIREWALL", "KUBE-FIREWALL");

    private RuleChecks() {
    }

    /** The lines of one table, between {@code *table} and COMMIT. */
    static List<String> table(String restore, String name) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : restore.split("\n")) {
            if (line.equals("*" + name)) {
                in = true;
            } else if (line.equals("COMMIT")) {
                in = false;
            } else if (in) {
                out.add(line);
            }
        }
        return out;
    }

    /** The number of {@code -A} rules of a table, which is what upstream's metric must equal. */
    static int count(String restore, String table) {
        int n = 0;
        for (String line : table(restore, table)) {
            if (line.startsWith("-A ")) {
                n++;
            }
        }
        return n;
    }

    /** Problems with jumps and chains in a full-sync ruleset; empty when it is consistent. */
    static List<String> problems(String restore) {
        List<String> problems = new ArrayList<>();
        for (String t : List.of("filter", "nat")) {
            Set<String> declared = new LinkedHashSet<>();
            Set<String> filled = new HashSet<>();
            Set<String> jumped = new LinkedHashSet<>();
            for (String line : table(restore, t)) {
                if (line.startsWith(":")) {
                    declared.add(line.substring(1, line.indexOf(' ')));
                } else if (line.startsWith("-X ")) {
                    declared.remove(line.substring(3));
                } else if (line.startsWith("-A ")) {
                    String[] w = line.split(" ");
                    filled.add(w[1]);
                    for (int i = 2; i < w.length - 1; i++) {
                        if (w[i].equals("-j") || w[i].equals("-g")) {
                            jumped.add(w[i + 1]);
                        }
                    }
                } else {
                    problems.add(t + ": unexpected line " + line);
                }
            }
            for (String j : jumped) {
                if (!BUILTIN_TARGETS.contains(j) && !declared.contains(j)) {
                    problems.add(t + ": jump to undeclared chain " + j);
                }
                if (!BUILTIN_TARGETS.contains(j) && !filled.contains(j) && !j.equals("KUBE-NODEPORTS")) {
                    problems.add(t + ": jump to empty chain " + j);
                }
            }
            for (String f : filled) {
                if (!declared.contains(f)) {
                    problems.add(t + ": rules in undeclared chain " + f);
                }
            }
            for (String d : declared) {
                if (!jumped.contains(d) && !TOP_LEVEL.contains(d)) {
                    problems.add(t + ": chain declared but never jumped to " + d);
                }
            }
        }
        return problems;
    }

    /** What the nat table has after restoring {@code restore} with --noflush. */
    static void applyNatChains(Set<String> chains, String restore) {
        for (String line : table(restore, "nat")) {
            if (line.startsWith(":")) {
                chains.add(line.substring(1, line.indexOf(' ')));
            } else if (line.startsWith("-X ")) {
                chains.remove(line.substring(3));
            }
        }
    }
}
