package dev.turnout.dns.server;

import dev.turnout.dns.forward.Forwarder;
import dev.turnout.dns.kubernetes.KubernetesZone;
import dev.turnout.dns.kubernetes.ZoneAnswer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One query through the chain, in the order of CoreDNS's plugin.cfg: metrics (counted around
 * everything), kubernetes (the cluster zone and the reverse names it owns), forward (anything
 * else, if upstreams are configured; REFUSED otherwise, as a server that is not recursive).
 * Both transports call it with raw bytes and get the bytes to send back, or null for silence.
 */
public final class QueryHandler implements AutoCloseable {
    private final KubernetesZone zone;
    private final Forwarder forwarder;
    private final Metrics metrics;
    private final String zoneLabel;

    /** @param forwarder null when no upstream is configured */
    public QueryHandler(KubernetesZone zone, Forwarder forwarder, Metrics metrics) {
        this.zone = zone;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.zoneLabel = zone.zone().toString();
    }

    public CompletableFuture<byte[]> serve(byte[] buf, int len, Transport proto, boolean ipv6) {
        long start = System.nanoTime();
        Codec.Decoded d = Codec.decode(buf, len);
        if (d.query() == null) {
            if (d.reply() == null) {
                metrics.dropped("malformed");
            } else {
                metrics.response(".", "", d.reply()[3] & 0xf, 0, System.nanoTime() - start);
            }
            return CompletableFuture.completedFuture(d.reply());
        }
        Message query = d.query();
        Record q = query.getQuestion();
        int limit = Codec.limit(query, proto == Transport.tcp);
        ZoneAnswer a = zone.answer(q.getName(), q.getType());
        if (a != null) {
            metrics.request(zoneLabel, proto, ipv6, q.getType());
            Message resp = build(query, a);
            if (needsOutsideTarget(a, q.getType())) {
                Name target = ((CNAMERecord) a.answer().get(a.answer().size() - 1)).getTarget();
                return forwarder.forward(Message.newQuery(Record.newRecord(target, q.getType(), q.getDClass())))
                        .handle((up, e) -> {
                            if (e == null) {
                                up.getSection(Section.ANSWER).forEach(r -> resp.addRecord(r, Section.ANSWER));
                            }
                            return finish(resp, "kubernetes", q.getType(), limit, start);
                        });
            }
            return CompletableFuture.completedFuture(finish(resp, "kubernetes", q.getType(), limit, start));
        }
        metrics.request(".", proto, ipv6, q.getType());
        if (forwarder == null) {
            return CompletableFuture.completedFuture(finish(Codec.reply(query, Rcode.REFUSED), "", q.getType(), limit, start));
        }
        return forwarder.forward(query).handle((up, e) -> {
            Message resp;
            if (e != null) {
                resp = Codec.reply(query, Rcode.SERVFAIL);
            } else {
                resp = fromUpstream(query, up);
            }
            return finish(resp, "forward", q.getType(), limit, start);
        });
    }

    /** An ExternalName whose target lies outside the zone is resolved upstream, as CoreDNS does. */
    private boolean needsOutsideTarget(ZoneAnswer a, int qtype) {
        if (forwarder == null || qtype == Type.CNAME || a.answer().isEmpty()) {
            return false;
        }
        Record last = a.answer().get(a.answer().size() - 1);
        return last instanceof CNAMERecord c && !c.getTarget().subdomain(zone.zone());
    }

    private byte[] finish(Message resp, String plugin, int qtype, int limit, long start) {
        byte[] out = Codec.encode(resp, limit);
        metrics.response(plugin.equals("kubernetes") ? zoneLabel : ".", plugin, resp.getRcode(), qtype, System.nanoTime() - start);
        return out;
    }

    private static Message build(Message query, ZoneAnswer a) {
        Message m = Codec.reply(query, a.rcode());
        m.getHeader().setFlag(Flags.AA);
        add(m, a.answer(), Section.ANSWER);
        add(m, a.authority(), Section.AUTHORITY);
        add(m, a.additional(), Section.ADDITIONAL);
        return m;
    }

    private static void add(Message m, List<Record> records, int section) {
        for (Record r : records) {
            m.addRecord(r, section);
        }
    }

    /** The upstream's sections under the client's ID and question, with our OPT instead of theirs. */
    private static Message fromUpstream(Message query, Message up) {
        Message m = Codec.reply(query, up.getRcode());
        var h = m.getHeader();
        for (int flag : new int[] {Flags.AA, Flags.RA, Flags.AD, Flags.CD}) {
            if (up.getHeader().getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        for (int s : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : up.getSection(s)) {
                if (!(r instanceof OPTRecord)) {
                    m.addRecord(r, s);
                }
            }
        }
        return m;
    }

    @Override
    public void close() {
        if (forwarder != null) {
            forwarder.close();
        }
    }
}
