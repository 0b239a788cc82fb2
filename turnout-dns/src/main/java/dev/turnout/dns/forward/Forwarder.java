package dev.turnout.dns.forward;

import dev.turnout.dns.server.Metrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Names outside the cluster zone go to the upstream resolvers, tried in order until one answers,
 * as CoreDNS's forward plugin with {@code policy sequential}. dnsjava's resolver retries a
 * truncated UDP answer over TCP. In-flight forwards are capped so that a flood of queries for
 * outside names cannot grow memory: past the cap a query fails at once (SERVFAIL).
 */
public final class Forwarder implements AutoCloseable {
    public static final int MAX_IN_FLIGHT = 1024;

    private final List<InetSocketAddress> upstreams;
    private final List<SimpleResolver> resolvers = new ArrayList<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /**
     * Sending is handed off the transports' threads: opening a socket per upstream query is slow
     * next to answering from the index, and cluster names must not wait behind it. The queue is
     * bounded by {@link #inFlight}.
     */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dns-forward");
        t.setDaemon(true);
        return t;
    });
    private final Metrics metrics;

    public Forwarder(List<InetSocketAddress> upstreams, Duration timeout, Metrics metrics) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no upstream resolvers");
        }
        this.upstreams = List.copyOf(upstreams);
        this.metrics = metrics;
        for (InetSocketAddress a : upstreams) {
            SimpleResolver r = new SimpleResolver(a);
            r.setTimeout(timeout);
            resolvers.add(r);
        }
    }

    public List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /** The upstream's response to a copy of {@code query}; fails when every upstream failed or the cap is reached. */
    public CompletableFuture<Message> forward(Message query) {
        if (!inFlight.tryAcquire()) {
            metrics.dropped("forward_in_flight_limit");
            return CompletableFuture.failedFuture(new IllegalStateException("too many forwarded queries in flight"));
        }
        CompletableFuture<Message> result = CompletableFuture.supplyAsync(() -> attempt(query, 0), sender)
                .thenCompose(f -> f);
        result.whenComplete((m, e) -> inFlight.release());
        return result;
    }

    private CompletableFuture<Message> attempt(Message query, int i) {
        String to = upstreams.get(i).getHostString() + ":" + upstreams.get(i).getPort();
        metrics.forwarded(to);
        return resolvers.get(i).sendAsync(query.clone()).toCompletableFuture()
                .handle((m, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(m);
                    }
                    metrics.forwardFailed(to);
                    return i + 1 < resolvers.size() ? attempt(query, i + 1) : CompletableFuture.<Message>failedFuture(e);
                })
                .thenCompose(f -> f);
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
