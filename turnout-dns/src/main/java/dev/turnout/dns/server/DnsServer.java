package dev.turnout.dns.server;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.forward.Forwarder;
import dev.turnout.dns.kubernetes.DnsIndex;
import dev.turnout.dns.kubernetes.KubernetesZone;
import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ObjectHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The cluster DNS server: a {@link DnsIndex} fed by a {@link ClusterSource}, the cluster zone on
 * top, UDP and TCP on the same port through one {@link QueryHandler}, and the HTTP endpoints.
 */
public final class DnsServer implements AutoCloseable {
    private final DnsConfig config;
    private final DnsIndex index = new DnsIndex();
    private final Metrics metrics;
    private final QueryHandler handler;
    private final UdpTransport udp;
    private final TcpTransport tcp;
    private HttpEndpoints http;
    private ClusterSource source;
    private InetSocketAddress udpAddress;
    private InetSocketAddress tcpAddress;
    private InetSocketAddress httpAddress;

    public DnsServer(DnsConfig config) {
        this.config = config;
        this.metrics = new Metrics();
        InetAddress listenIp = config.listen().getAddress();
        List<InetAddress> nsIps = listenIp.isAnyLocalAddress() ? List.of() : List.of(listenIp);
        KubernetesZone zone = new KubernetesZone(config.zone(), config.ttl(), config.pods(), index, nsIps);
        Forwarder forwarder = config.upstreams().isEmpty() ? null
                : new Forwarder(config.upstreams(), config.upstreamTimeout(), metrics);
        this.handler = new QueryHandler(zone, forwarder, metrics);
        this.udp = new UdpTransport(handler);
        this.tcp = new TcpTransport(handler);
        metrics.gauge("turnout_dns_services", index::size);
    }

    /** Binds the sockets and starts serving; queries are SERVFAIL/answered as the source syncs. */
    public DnsServer start(ClusterSource source) throws Exception {
        bind();
        metrics.server("dns://" + udpAddress.getHostString() + ":" + udpAddress.getPort());
        udp.start();
        tcp.start();
        if (config.http() != null) {
            http = new HttpEndpoints(config.http(), index::synced, metrics::render);
            httpAddress = http.start();
        }
        this.source = source;
        source.start(index.serviceHandler(), index.sliceHandler(), new ObjectHandler<>() {
        });
        return this;
    }

    /** UDP first; with port 0, TCP then takes the same port, retrying if another socket got there first. */
    private void bind() throws IOException {
        for (int attempt = 0; ; attempt++) {
            udpAddress = udp.bind(config.listen(), config.udpSockets());
            try {
                tcpAddress = tcp.bind(udpAddress);
                return;
            } catch (BindException e) {
                udp.close();
                if (config.listen().getPort() != 0 || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    public InetSocketAddress udpAddress() {
        return udpAddress;
    }

    public InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public DnsIndex index() {
        return index;
    }

    public Metrics metrics() {
        return metrics;
    }

    public QueryHandler handler() {
        return handler;
    }

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
        udp.close();
        tcp.close();
        handler.close();
        if (http != null) {
            http.close();
        }
    }
}
