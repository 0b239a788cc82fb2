package dev.turnout.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * What {@code turnout dns} serves: the zone, TTL, pod records mode, where it listens, the
 * upstream resolvers for other names, and where health, readiness and metrics are served.
 *
 * @param http null for no HTTP endpoints
 * @param udpSockets how many SO_REUSEPORT sockets (and threads) receive UDP
 */
public record DnsConfig(Name zone, long ttl, PodsMode pods, InetSocketAddress listen, List<InetSocketAddress> upstreams,
        InetSocketAddress http, Duration upstreamTimeout, int udpSockets) {
    public DnsConfig {
        upstreams = List.copyOf(upstreams);
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException("zone must be absolute: " + zone);
        }
        if (ttl < 0 || ttl > 3600) {
            throw new IllegalArgumentException("ttl must be within 0..3600 seconds: " + ttl);
        }
    }

    public static DnsConfig defaults(InetSocketAddress listen) {
        return new DnsConfig(Name.fromConstantString("cluster.local."), 5, PodsMode.disabled, listen, List.of(), null,
                Duration.ofSeconds(2), Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    public DnsConfig withUpstreams(List<InetSocketAddress> u) {
        return new DnsConfig(zone, ttl, pods, listen, u, http, upstreamTimeout, udpSockets);
    }

    public DnsConfig withPods(PodsMode p) {
        return new DnsConfig(zone, ttl, p, listen, upstreams, http, upstreamTimeout, udpSockets);
    }

    public DnsConfig withHttp(InetSocketAddress h) {
        return new DnsConfig(zone, ttl, pods, listen, upstreams, h, upstreamTimeout, udpSockets);
    }
}
