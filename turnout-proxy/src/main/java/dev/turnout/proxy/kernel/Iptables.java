package dev.turnout.proxy.kernel;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The iptables operations the proxier needs, as upstream's {@code utiliptables.Interface}. One
 * instance speaks for one IP family.
 */
public interface Iptables {
    /** Feeds {@code input} to iptables-restore (all tables it names), as upstream's RestoreAll. */
    void restore(String input, boolean noFlush, boolean counters) throws KernelException;

    /** The iptables-save output of one table. */
    String save(String table) throws KernelException;

    /** Creates {@code chain} if missing; returns whether it already existed. */
    boolean ensureChain(String table, String chain) throws KernelException;

    /** Adds the rule if {@code -C} does not find it; returns whether it already existed. */
    boolean ensureRule(RulePosition position, String table, String chain, List<String> args) throws KernelException;

    /** Deletes the rule if present; a missing rule (or chain) is not an error. */
    void deleteRule(String table, String chain, List<String> args) throws KernelException;

    boolean chainExists(String table, String chain) throws KernelException;

    void flushChain(String table, String chain) throws KernelException;

    void deleteChain(String table, String chain) throws KernelException;

    /** The chain names declared ({@code :NAME POLICY [p:b]}) in iptables-save output. */
    static Set<String> chainsOf(String saveOutput) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : saveOutput.split("\n")) {
            if (line.startsWith(":")) {
                int sp = line.indexOf(' ');
                out.add(sp < 0 ? line.substring(1) : line.substring(1, sp));
            }
        }
        return out;
    }
}
