package dev.turnout.dns.kubernetes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Expected records written as zone-file text, read with dnsjava's master-file parser. */
public final class ZoneTexts {
    private ZoneTexts() {
    }

    public static List<Record> parse(String zoneText) {
        List<Record> out = new ArrayList<>();
        if (zoneText == null || zoneText.isBlank()) {
            return out;
        }
        try (Master m = new Master(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), Name.root, 5)) {
            for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
                out.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Records as sorted presentation lines (owner case and TTL included), for order-free comparison. */
    public static List<String> lines(List<Record> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.toString()));
        out.sort(null);
        return out;
    }
}
