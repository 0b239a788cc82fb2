package dev.turnout.dns.server;

import java.io.IOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The wire format for both transports (dnsjava underneath): bytes in, a query or an error reply
 * out; a response out, cut to the transport's limit.
 * <ul>
 * <li>Fewer than 12 bytes, or a message with QR set: silence (RFC 1035 4.1.1; never answer a
 * response, which could loop between servers).</li>
 * <li>A header followed by garbage: FORMERR with the header's ID and no question (RFC 1035 4.1.1).</li>
 * <li>Not exactly one question, or more than one OPT: FORMERR (RFC 6891 6.1.1).</li>
 * <li>An opcode other than QUERY: NOTIMP (RFC 1035); EDNS version above 0: BADVERS (RFC 6891 6.1.3).</li>
 * <li>A class other than IN, or AXFR/IXFR: REFUSED.</li>
 * </ul>
 * UDP responses fit the client's EDNS payload size (512 without EDNS, RFC 1035 4.2.1; at most
 * {@link #MAX_UDP_PAYLOAD}); what does not fit is cut at an RRset boundary with TC set, and the
 * client retries over TCP (RFC 2181 9, RFC 7766).
 */
public final class Codec {
    public static final int MIN_UDP_PAYLOAD = 512;
    /** The payload size we advertise and honour at most (the DNS flag day 2020 value). */
    public static final int MAX_UDP_PAYLOAD = 1232;
    public static final int MAX_TCP = 65535;

    private Codec() {
    }

    /** A parsed query, or a ready error reply, or neither (stay silent). */
    public record Decoded(Message query, byte[] reply) {
        static Decoded silence() {
            return new Decoded(null, null);
        }
    }

    public static Decoded decode(byte[] buf, int len) {
        if (len < Header.LENGTH) {
            return Decoded.silence();
        }
        int id = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
        int flags = ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
        if ((flags & 0x8000) != 0) {
            return Decoded.silence();
        }
        int opcode = (flags >> 11) & 0xf;
        Message query;
        try {
            byte[] exact = len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
            query = new Message(exact);
        } catch (IOException | RuntimeException e) {
            return new Decoded(null, headerOnly(id, opcode, (flags & 0x0100) != 0, Rcode.FORMERR));
        }
        if (opcode != Opcode.QUERY) {
            return new Decoded(null, encode(reply(query, Rcode.NOTIMP), limit(query, false)));
        }
        java.util.List<Record> question = query.getSection(Section.QUESTION);
        int opts = 0;
        for (Record r : query.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                opts++;
            }
        }
        if (question.size() != 1 || opts > 1) {
            return new Decoded(null, headerOnly(id, opcode, query.getHeader().getFlag(Flags.RD), Rcode.FORMERR));
        }
        OPTRecord opt = query.getOPT();
        if (opt != null && opt.getVersion() > 0) {
            return new Decoded(null, encode(reply(query, Rcode.BADVERS), MIN_UDP_PAYLOAD));
        }
        int qclass = question.get(0).getDClass();
        int qtype = question.get(0).getType();
        // other classes are not served; zone transfers are not offered (CoreDNS without its transfer plugin)
        if ((qclass != DClass.IN && qclass != DClass.ANY) || qtype == Type.AXFR || qtype == Type.IXFR) {
            return new Decoded(null, encode(reply(query, Rcode.REFUSED), limit(query, false)));
        }
        return new Decoded(query, null);
    }

    /** An empty response to {@code query}: same ID, opcode, RD and question; QR set; OPT if it had one. */
    public static Message reply(Message query, int rcode) {
        Message m = new Message(query.getHeader().getID());
        Header h = m.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        Record q = query.getQuestion();
        if (q != null) {
            m.addRecord(q, Section.QUESTION);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            int flags = opt.getFlags() & ExtendedFlags.DO;
            m.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, rcode >>> 4, 0, flags), Section.ADDITIONAL);
        }
        h.setRcode(rcode & 0xf);
        return m;
    }

    /** The most bytes a response to {@code query} may have on this transport. */
    public static int limit(Message query, boolean tcp) {
        if (tcp) {
            return MAX_TCP;
        }
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return MIN_UDP_PAYLOAD;
        }
        return Math.max(MIN_UDP_PAYLOAD, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
    }

    /** The response's wire form within {@code limit} bytes; TC set when RRsets had to be left out. */
    public static byte[] encode(Message response, int limit) {
        return response.toWire(limit);
    }

    private static byte[] headerOnly(int id, int opcode, boolean rd, int rcode) {
        Header h = new Header(id);
        h.setFlag(Flags.QR);
        h.setOpcode(opcode);
        if (rd) {
            h.setFlag(Flags.RD);
        }
        h.setRcode(rcode);
        return h.toWire();
    }
}
