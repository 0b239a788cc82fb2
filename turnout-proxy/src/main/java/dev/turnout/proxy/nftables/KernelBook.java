package dev.turnout.proxy.nftables;

import dev.turnout.model.ServicePortName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Our own record of what the kube-proxy table holds, kept from the transactions we wrote: each
 * map's and set's elements (with the Service ports that want them), and each Service port's chains
 * and affinity sets. It lets a partial sync write only differences without reading the table back.
 * It is updated as a transaction is compiled; if the transaction then fails, {@link #clear()} it
 * and do a full sync, which rebuilds everything from nothing.
 */
public final class KernelBook {
    /** One element of a map or set. */
    static final class Element {
        String value;
        String comment;
        final List<ServicePortName> owners = new ArrayList<>(1);

        Element(String value, String comment) {
            this.value = value;
            this.comment = comment;
        }
    }

    /** What one Service port put into the table. */
    static final class PortRecord {
        /** container name and key of each element, in pairs */
        final List<String> elements = new ArrayList<>();
        final Set<String> chains = new HashSet<>();
        final Set<String> affinitySets = new HashSet<>();
    }

    final Map<String, Map<String, Element>> elements = new HashMap<>();
    final Map<ServicePortName, PortRecord> ports = new HashMap<>();
    /** The keys of {@link #ports} by namespace/name. */
    final Map<String, Set<ServicePortName>> portsByService = new HashMap<>();
    /** Chains emptied because unused, with when; a later sync deletes them. */
    final Map<String, Instant> staleChains = new HashMap<>();
    boolean baseChainsRecreated;

    /** Forgets everything but the fact that the base chains were recreated once. */
    public synchronized void clear() {
        elements.clear();
        ports.clear();
        portsByService.clear();
        staleChains.clear();
    }

    void putPort(ServicePortName name, PortRecord r) {
        if (ports.put(name, r) == null) {
            portsByService.computeIfAbsent(name.namespacedName(), k -> new HashSet<>()).add(name);
        }
    }

    PortRecord removePort(ServicePortName name) {
        PortRecord r = ports.remove(name);
        if (r != null) {
            Set<ServicePortName> s = portsByService.get(name.namespacedName());
            if (s != null) {
                s.remove(name);
                if (s.isEmpty()) {
                    portsByService.remove(name.namespacedName());
                }
            }
        }
        return r;
    }

    void clearPorts() {
        ports.clear();
        portsByService.clear();
    }

    Map<String, Element> container(String name) {
        return elements.computeIfAbsent(name, k -> new HashMap<>());
    }

    /** Stale chains flushed before {@code cutoff}; they are forgotten here once returned. */
    public synchronized List<String> takeStaleChainsBefore(Instant cutoff) {
        List<String> out = new ArrayList<>();
        staleChains.entrySet().removeIf(e -> {
            if (e.getValue().isBefore(cutoff)) {
                out.add(e.getKey());
                return true;
            }
            return false;
        });
        out.sort(null);
        return out;
    }

    /** Records the chains a successful transaction flushed as stale, at {@code when}. */
    public synchronized void markStale(Set<String> chains, Instant when) {
        for (String c : chains) {
            staleChains.putIfAbsent(c, when);
        }
    }

    /** How many elements the book holds, over all maps and sets. */
    public synchronized int elementCount() {
        return elements.values().stream().mapToInt(Map::size).sum();
    }

    /** The per-Service chains the book knows to exist (live or stale). */
    public synchronized Set<String> chains() {
        Set<String> out = new HashSet<>(staleChains.keySet());
        ports.values().forEach(r -> out.addAll(r.chains));
        return out;
    }
}
