package dev.turnout.proxy.kernel;

import java.util.Set;

/** The {@code nft} tool, for one table of one family. */
public interface Nft {
    /** Runs one transaction ({@code nft -f -}): all of it or, on failure, none of it. */
    void run(String transaction) throws KernelException;

    /** The names of the table's chains and sets (not maps); both empty when there is no table. */
    Names names() throws KernelException;

    /** Chain and set names of the table. */
    record Names(Set<String> chains, Set<String> sets) {
        public Names {
            chains = Set.copyOf(chains);
            sets = Set.copyOf(sets);
        }
    }

    /** {@code nft list table}: the whole table as text, or "" when it does not exist. */
    String listTable() throws KernelException;

    /** Deletes the table and everything in it; no error when it does not exist. */
    void deleteTable() throws KernelException;
}
