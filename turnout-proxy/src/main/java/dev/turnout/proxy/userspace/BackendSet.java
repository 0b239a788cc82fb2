package dev.turnout.proxy.userspace;

import dev.turnout.model.Endpoint;
import dev.turnout.model.SessionAffinity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The backends one Service port's traffic may go to, and how a new connection picks one: uniformly
 * at random, or with ClientIP affinity the backend this client address used last, while that was
 * less than the affinity timeout ago and the backend is still in the set. Replacing the set never
 * touches connections already made; it only changes what later picks can return.
 */
public final class BackendSet {
    private record Sticky(Endpoint endpoint, long lastUsedNanos) {
    }

    private final String name;
    private final LongSupplier nanoClock;
    private volatile List<Endpoint> endpoints = List.of();
    private volatile Map<Endpoint, InetSocketAddress> addresses = Map.of();
    private volatile SessionAffinity affinity = SessionAffinity.NONE;
    private final Map<InetAddress, Sticky> sticky = new ConcurrentHashMap<>();

    public BackendSet(String name) {
        this(name, System::nanoTime);
    }

    BackendSet(String name, LongSupplier nanoClock) {
        this.name = name;
        this.nanoClock = nanoClock;
    }

    public String name() {
        return name;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public SessionAffinity affinity() {
        return affinity;
    }

    /**
     * Replaces the backends and the affinity setting. Affinity entries for backends that are gone
     * are dropped (as are all of them when affinity is turned off), and expired ones are pruned.
     *
     * @return true when the endpoint list changed
     */
    public boolean update(List<Endpoint> newEndpoints, SessionAffinity newAffinity) {
        List<Endpoint> copy = List.copyOf(newEndpoints);
        boolean changed = !copy.equals(endpoints);
        if (changed) {
            Map<Endpoint, InetSocketAddress> addrs = new java.util.HashMap<>();
            for (Endpoint e : copy) {
                addrs.put(e, new InetSocketAddress(e.ip(), e.port()));
            }
            addresses = addrs;
        }
        endpoints = copy;
        affinity = newAffinity == null ? SessionAffinity.NONE : newAffinity;
        if (!affinity.clientIp()) {
            sticky.clear();
        } else {
            Set<Endpoint> live = Set.copyOf(copy);
            long now = nanoClock.getAsLong();
            sticky.values().removeIf(s -> !live.contains(s.endpoint) || expired(s, now));
        }
        return changed;
    }

    /** The socket address of one of the endpoints (resolved once per update, not per connection). */
    public InetSocketAddress address(Endpoint e) {
        InetSocketAddress a = addresses.get(e);
        return a != null ? a : new InetSocketAddress(e.ip(), e.port());
    }

    /** How many clients have a live affinity entry. */
    public int affinityEntries() {
        return sticky.size();
    }

    /**
     * The backend for a new connection from {@code client}, never one of {@code exclude} (those that
     * already refused this connection), or null when none is left.
     */
    public Endpoint pick(InetAddress client, Set<Endpoint> exclude) {
        List<Endpoint> eps = endpoints;
        SessionAffinity aff = affinity;
        long now = nanoClock.getAsLong();
        if (aff.clientIp() && client != null) {
            Sticky s = sticky.get(client);
            if (s != null && !expired(s, now) && eps.contains(s.endpoint) && !exclude.contains(s.endpoint)) {
                sticky.put(client, new Sticky(s.endpoint, now));
                return s.endpoint;
            }
        }
        Endpoint chosen = random(eps, exclude);
        if (chosen != null && aff.clientIp() && client != null) {
            sticky.put(client, new Sticky(chosen, now));
        }
        return chosen;
    }

    private boolean expired(Sticky s, long now) {
        return now - s.lastUsedNanos >= affinity.timeoutSeconds() * 1_000_000_000L;
    }

    private static Endpoint random(List<Endpoint> eps, Set<Endpoint> exclude) {
        if (eps.isEmpty()) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (exclude.isEmpty()) {
            return eps.get(rnd.nextInt(eps.size()));
        }
        List<Endpoint> left = new ArrayList<>(eps.size());
        for (Endpoint e : eps) {
            if (!exclude.contains(e)) {
                left.add(e);
            }
        }
        return left.isEmpty() ? null : left.get(rnd.nextInt(left.size()));
    }

    @Override
    public String toString() {
        return name + " " + endpoints;
    }
}
