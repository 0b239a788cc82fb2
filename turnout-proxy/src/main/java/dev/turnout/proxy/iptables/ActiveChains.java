package dev.turnout.proxy.iptables;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The nat chains of a desired state, as an unmodifiable Set that is gathered from the groups of
 * names it was given (the top-level chains, each Service port's own) only when first read: most
 * syncs never ask.
 */
final class ActiveChains extends AbstractSet<String> {
    private final List<String[]> groups = new ArrayList<>();
    private int expected;
    private volatile Set<String> set;

    /** Adds a group of names; the array must not change afterwards. */
    void addGroup(String[] names) {
        if (set != null) {
            throw new IllegalStateException("already read");
        }
        if (names.length > 0) {
            groups.add(names);
            expected += names.length;
        }
    }

    private Set<String> set() {
        Set<String> s = set;
        if (s == null) {
            synchronized (this) {
                s = set;
                if (s == null) {
                    HashSet<String> all = new HashSet<>(Math.max(16, expected * 4 / 3 + 1));
                    for (String[] g : groups) {
                        Collections.addAll(all, g);
                    }
                    s = Collections.unmodifiableSet(all);
                    set = s;
                }
            }
        }
        return s;
    }

    @Override
    public boolean contains(Object o) {
        return set().contains(o);
    }

    @Override
    public Iterator<String> iterator() {
        return set().iterator();
    }

    @Override
    public int size() {
        return set().size();
    }
}
