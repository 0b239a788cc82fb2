package dev.turnout.proxy.kernel.fake;

import dev.turnout.proxy.kernel.Iptables;
import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.kernel.RulePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory {@link Iptables} for tests: tables of chains of rules, an iptables-restore that
 * understands the subset kube-proxy writes ({@code *table}, {@code :CHAIN}, {@code -A/-I/-N/-F/-X},
 * {@code COMMIT}; each table committed atomically), and a log of every call. Rules are kept as their
 * argument text, arguments with spaces in double quotes, as iptables-save prints them.
 */
public final class FakeIptables implements Iptables {
    private static final Map<String, List<String>> BUILTIN = Map.of(
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"),
            "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"));

    private final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<String> restoreInputs = new ArrayList<>();
    private int restoreFailures;

    public FakeIptables() {
        BUILTIN.forEach((t, chains) -> tables.put(t, emptyTable(t)));
    }

    private static Map<String, List<String>> emptyTable(String table) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        BUILTIN.getOrDefault(table, List.of()).forEach(c -> chains.put(c, new ArrayList<>()));
        return chains;
    }

    /** Makes the next {@code n} restores fail as a bad ruleset would (exit 2). */
    public synchronized void failNextRestores(int n) {
        restoreFailures = n;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized void clearCalls() {
        calls.clear();
    }

    /** Every iptables-restore input accepted or not, in order. */
    public synchronized List<String> restoreInputs() {
        return List.copyOf(restoreInputs);
    }

    /** The rules of one chain, or null when the chain does not exist. */
    public synchronized List<String> rules(String table, String chain) {
        List<String> rules = table(table).get(chain);
        return rules == null ? null : List.copyOf(rules);
    }

    public synchronized List<String> chains(String table) {
        return List.copyOf(table(table).keySet());
    }

    @Override
    public synchronized void restore(String input, boolean noFlush, boolean counters) throws KernelException {
        calls.add("restore" + (noFlush ? " --noflush" : "") + (counters ? " --counters" : ""));
        restoreInputs.add(input);
        if (restoreFailures > 0) {
            restoreFailures--;
            throw new KernelException("iptables-restore: line 1 failed (injected)", 2, null);
        }
        Map<String, Map<String, List<String>>> staged = new LinkedHashMap<>();
        String current = null;
        Map<String, List<String>> work = null;
        int lineNo = 0;
        for (String raw : input.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("*")) {
                current = line.substring(1);
                work = noFlush ? copy(table(current)) : emptyTable(current);
            } else if (line.equals("COMMIT")) {
                staged.put(current, work);
                current = null;
            } else if (work == null) {
                throw restoreError(lineNo, "not in a table: " + line);
            } else if (line.startsWith(":")) {
                String chain = line.substring(1).split(" ")[0];
                boolean builtin = BUILTIN.getOrDefault(current, List.of()).contains(chain);
                if (!builtin || !noFlush) {
                    work.put(chain, new ArrayList<>());
                }
            } else {
                apply(work, line, lineNo);
            }
        }
        if (current != null) {
            throw restoreError(lineNo, "no COMMIT for table " + current);
        }
        tables.putAll(staged);
    }

    private void apply(Map<String, List<String>> work, String line, int lineNo) throws KernelException {
        String[] parts = line.split(" ", 3);
        String op = parts[0];
        String chain = parts.length > 1 ? parts[1] : "";
        String rest = parts.length > 2 ? parts[2] : "";
        switch (op) {
            case "-A", "-I" -> {
                List<String> rules = work.get(chain);
                if (rules == null) {
                    throw restoreError(lineNo, "no chain " + chain);
                }
                String target = targetOf(rest);
                if (target != null && target.startsWith("KUBE-") && !work.containsKey(target)) {
                    throw restoreError(lineNo, "no chain/target " + target);
                }
                if (op.equals("-A")) {
                    rules.add(rest);
                } else {
                    rules.add(0, rest);
                }
            }
            case "-N" -> work.putIfAbsent(chain, new ArrayList<>());
            case "-F" -> work.computeIfPresent(chain, (k, v) -> new ArrayList<>());
            case "-X" -> {
                if (!work.containsKey(chain) || !work.get(chain).isEmpty() || referenced(work, chain)) {
                    throw restoreError(lineNo, "cannot delete chain " + chain);
                }
                work.remove(chain);
            }
            default -> throw restoreError(lineNo, "unsupported: " + line);
        }
    }

    private static boolean referenced(Map<String, List<String>> table, String chain) {
        return table.values().stream().flatMap(List::stream).anyMatch(r -> chain.equals(targetOf(r)));
    }

    private static String targetOf(String rule) {
        String[] words = rule.split(" ");
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("-j") || words[i].equals("-g")) {
                return words[i + 1];
            }
        }
        return null;
    }

    private static KernelException restoreError(int line, String why) {
        return new KernelException("iptables-restore: line " + line + " failed: " + why, 1, null);
    }

    @Override
    public synchronized String save(String table) {
        calls.add("save " + table);
        StringBuilder sb = new StringBuilder("*").append(table).append('\n');
        Map<String, List<String>> chains = table(table);
        chains.forEach((c, rules) -> sb.append(':').append(c)
                .append(BUILTIN.getOrDefault(table, List.of()).contains(c) ? " ACCEPT" : " -").append(" [0:0]\n"));
        chains.forEach((c, rules) -> rules.forEach(r -> sb.append("-A ").append(c).append(' ').append(r).append('\n')));
        return sb.append("COMMIT\n").toString();
    }

    @Override
    public synchronized boolean ensureChain(String table, String chain) {
        calls.add("ensureChain " + table + " " + chain);
        return table(table).putIfAbsent(chain, new ArrayList<>()) != null;
    }

    @Override
    public synchronized boolean ensureRule(RulePosition position, String table, String chain, List<String> args)
            throws KernelException {
        String rule = ruleText(args);
        calls.add("ensureRule " + position + " " + table + " " + chain + " " + rule);
        List<String> rules = table(table).get(chain);
        if (rules == null) {
            throw new KernelException("iptables: No chain/target/match by that name.", 1, null);
        }
        if (rules.contains(rule)) {
            return true;
        }
        if (position == RulePosition.PREPEND) {
            rules.add(0, rule);
        } else {
            rules.add(rule);
        }
        return false;
    }

    @Override
    public synchronized void deleteRule(String table, String chain, List<String> args) {
        String rule = ruleText(args);
        calls.add("deleteRule " + table + " " + chain + " " + rule);
        List<String> rules = table(table).get(chain);
        if (rules != null) {
            rules.remove(rule);
        }
    }

    @Override
    public synchronized boolean chainExists(String table, String chain) {
        return table(table).containsKey(chain);
    }

    @Override
    public synchronized void flushChain(String table, String chain) throws KernelException {
        calls.add("flushChain " + table + " " + chain);
        if (table(table).computeIfPresent(chain, (k, v) -> new ArrayList<>()) == null) {
            throw new KernelException("iptables: No chain/target/match by that name.", 1, null);
        }
    }

    @Override
    public synchronized void deleteChain(String table, String chain) throws KernelException {
        calls.add("deleteChain " + table + " " + chain);
        Map<String, List<String>> t = table(table);
        if (!t.containsKey(chain) || !t.get(chain).isEmpty() || referenced(t, chain)) {
            throw new KernelException("iptables: cannot delete chain " + chain, 1, null);
        }
        t.remove(chain);
    }

    /** Arguments as iptables-save prints them: those with spaces quoted. */
    public static String ruleText(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.contains(" ") ? '"' + a + '"' : a);
        }
        return String.join(" ", out);
    }

    private Map<String, List<String>> table(String name) {
        return tables.computeIfAbsent(name, FakeIptables::emptyTable);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> t) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        t.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }
}
