package dev.turnout.lab;

import dev.turnout.lab.netns.Netns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The namespaces a lab owns. A name is recorded before {@code ip netns add} runs, so cleanup after a
 * half-finished create covers everything that might exist; deleting one that never appeared is a no-op.
 * A name that already exists is refused rather than recorded, so cleanup never deletes what is not ours.
 */
final class LabNamespaces {

    private final Netns netns;
    private final String prefix;
    private final List<String> owned = new ArrayList<>();

    LabNamespaces(Netns netns, String prefix) {
        this.netns = netns;
        this.prefix = prefix;
    }

    synchronized String create(String role) {
        String name = LabNames.namespace(prefix, role);
        if (netns.exists(name)) {
            // not ours: another run with the same prefix, so it must not end up on our cleanup list
            throw new IllegalStateException("namespace " + name + " already exists");
        }
        owned.add(name);
        netns.create(name);
        return name;
    }

    synchronized List<String> all() {
        return List.copyOf(owned);
    }

    synchronized void delete(String name) {
        deleteIfExists(name);
        owned.remove(name);
    }

    /** Deletes all, newest first; returns what failed instead of throwing so one failure does not stop the rest. */
    synchronized List<RuntimeException> deleteAll() {
        List<RuntimeException> failures = new ArrayList<>();
        List<String> newestFirst = new ArrayList<>(owned);
        Collections.reverse(newestFirst);
        for (String ns : newestFirst) {
            try {
                deleteIfExists(ns);
                owned.remove(ns);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    /** Kills anything still living in the namespace by PID (e.g. a timed-out command) so the kernel frees it. */
    private void deleteIfExists(String ns) {
        if (!netns.exists(ns)) {
            return;
        }
        for (long pid : netns.pids(ns)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        netns.delete(ns);
    }
}
