package dev.turnout.dns.kubernetes;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** The sections of an authoritative answer: rcode, answer, authority and additional records. */
public record ZoneAnswer(int rcode, List<Record> answer, List<Record> authority, List<Record> additional) {
    public ZoneAnswer {
        answer = List.copyOf(answer);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    public static ZoneAnswer of(List<Record> answer, List<Record> additional) {
        return new ZoneAnswer(Rcode.NOERROR, answer, List.of(), additional);
    }
}
