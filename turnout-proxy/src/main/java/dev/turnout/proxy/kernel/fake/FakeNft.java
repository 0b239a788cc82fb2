package dev.turnout.proxy.kernel.fake;

import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.kernel.Nft;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An in-memory {@link Nft} for tests: records every transaction and keeps the names of the chains
 * and sets they add and delete (enough to check the proxier's bookkeeping), without interpreting rules.
 */
public final class FakeNft implements Nft {
    private final List<String> transactions = new ArrayList<>();
    private final Set<String> chains = new TreeSet<>();
    private final Set<String> sets = new TreeSet<>();
    private int failures;
    private int lists;

    /** Makes the next {@code n} transactions fail. */
    public synchronized void failNext(int n) {
        failures = n;
    }

    public synchronized List<String> transactions() {
        return List.copyOf(transactions);
    }

    /** How many times the table was read back. */
    public synchronized int lists() {
        return lists;
    }

    @Override
    public synchronized void run(String transaction) throws KernelException {
        if (failures > 0) {
            failures--;
            throw new KernelException("nft -f -: exit 1: Error: Could not process rule", 1, null);
        }
        transactions.add(transaction);
        for (String line : transaction.split("\n")) {
            String[] w = line.split(" ");
            if (w.length < 5) {
                continue;
            }
            String verb = w[0] + " " + w[1];
            switch (verb) {
                case "add chain" -> chains.add(w[4]);
                case "delete chain" -> chains.remove(w[4]);
                case "add set" -> sets.add(w[4]);
                case "delete set" -> sets.remove(w[4]);
                case "delete table" -> {
                    chains.clear();
                    sets.clear();
                }
                default -> {
                }
            }
        }
    }

    @Override
    public synchronized Names names() {
        lists++;
        return new Names(chains, sets);
    }

    public synchronized Set<String> chainNames() {
        return new TreeSet<>(chains);
    }

    public synchronized Set<String> setNames() {
        return new TreeSet<>(sets);
    }

    @Override
    public synchronized String listTable() {
        lists++;
        return String.join("\n", transactions);
    }

    @Override
    public synchronized void deleteTable() {
        chains.clear();
        sets.clear();
        transactions.add("delete table");
    }
}
