package dev.turnout.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.dns.DnsConfig;
import dev.turnout.dns.kubernetes.TestCluster;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Bad input: random and mutated packets (fixed seed) through the handler and over both
 * transports. Every packet gets silence or a well-formed response with its ID and QR set (FORMERR
 * for a header followed by garbage, RFC 1035 4.1.1); the server keeps answering afterwards; and a
 * query flood, with forwards to an upstream that never answers, leaves the heap bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzTest {
    private static final int PACKETS = 12_000;
    private static final Set<Integer> ALLOWED = Set.of(Rcode.NOERROR, Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NXDOMAIN,
            Rcode.NOTIMP, Rcode.REFUSED);
    private DatagramSocket blackHole;
    private DnsServer server;
    /** The same zone without upstreams: outside names are REFUSED at once, so the handler fuzz never waits. */
    private DnsServer local;

    @BeforeAll
    void up() throws Exception {
        // an upstream that never answers: forwarded queries time out, and must not pile up
        blackHole = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DnsConfig config = DnsConfig.defaults(new InetSocketAddress("127.0.0.1", 0))
                .withUpstreams(List.of((InetSocketAddress) blackHole.getLocalSocketAddress()));
        server = new DnsServer(config).start(new TestSource(TestCluster.services(), TestCluster.slices(), true));
        local = new DnsServer(DnsConfig.defaults(new InetSocketAddress("127.0.0.1", 0)))
                .start(new TestSource(TestCluster.services(), TestCluster.slices(), true));
    }

    @AfterAll
    void down() {
        if (server != null) {
            server.close();
        }
        if (local != null) {
            local.close();
        }
        if (blackHole != null) {
            blackHole.close();
        }
    }

    static List<byte[]> packets(long seed, int count) throws Exception {
        Random rnd = new Random(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (String n : List.of("svc1.testns.svc.cluster.local.", "_http._tcp.hdls1.testns.svc.cluster.local.",
                "1.0.0.10.in-addr.arpa.", "dns-version.cluster.local.", "x.testns.pod.cluster.local.")) {
            for (int t : new int[] {Type.A, Type.AAAA, Type.SRV, Type.PTR, Type.TXT}) {
                Message m = Message.newQuery(Record.newRecord(Name.fromString(n), t, 1));
                if (rnd.nextBoolean()) {
                    m.addRecord(new OPTRecord(rnd.nextInt(5000), 0, rnd.nextInt(2), 0), Section.ADDITIONAL);
                }
                seeds.add(m.toWire());
            }
        }
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = rnd.nextInt(6);
            byte[] p;
            if (kind == 0) {
                p = new byte[rnd.nextInt(600)];
                rnd.nextBytes(p);
            } else {
                byte[] base = seeds.get(rnd.nextInt(seeds.size()));
                p = base.clone();
                switch (kind) {
                    case 1 -> { // flip bits
                        for (int f = 1 + rnd.nextInt(8); f > 0; f--) {
                            p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
                        }
                    }
                    case 2 -> p = java.util.Arrays.copyOf(p, rnd.nextInt(p.length)); // truncate
                    case 3 -> { // random bytes after a valid header
                        byte[] tail = new byte[rnd.nextInt(300)];
                        rnd.nextBytes(tail);
                        p = java.util.Arrays.copyOf(p, 12 + tail.length);
                        System.arraycopy(tail, 0, p, 12, tail.length);
                        p[2] &= 0x7f; // keep it a query
                    }
                    case 4 -> { // a compression pointer loop or a bad label length inside the name
                        int at = 12 + rnd.nextInt(Math.max(1, p.length - 13));
                        if (rnd.nextBoolean()) {
                            p[at] = (byte) 0xc0;
                            p[at + 1] = (byte) at;
                        } else {
                            p[at] = (byte) (64 + rnd.nextInt(192));
                        }
                    }
                    default -> { // header counts and opcode/flags at random
                        p[2] = (byte) (rnd.nextInt(256) & 0x7f);
                        p[3] = (byte) rnd.nextInt(256);
                        p[4 + rnd.nextInt(8)] = (byte) rnd.nextInt(256);
                    }
                }
            }
            out.add(p);
        }
        return out;
    }

    @Test
    void everyPacketGetsSilenceOrAWellFormedResponse() throws Exception {
        int silent = 0;
        int formerr = 0;
        for (byte[] p : packets(20251128L, PACKETS)) {
            for (Transport t : Transport.values()) {
                byte[] reply = local.handler().serve(p, p.length, t, false).get(5, TimeUnit.SECONDS);
                if (reply == null) {
                    silent++;
                    continue;
                }
                Message m = new Message(reply);
                assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
                assertThat(m.getHeader().getID()).isEqualTo(((p[0] & 0xff) << 8) | (p[1] & 0xff));
                assertThat(ALLOWED).as("rcode %s", Rcode.string(m.getRcode())).contains(m.getRcode() & 0xf);
                if (t == Transport.udp) {
                    assertThat(reply.length).isLessThanOrEqualTo(Codec.MAX_UDP_PAYLOAD);
                }
                if (m.getRcode() == Rcode.FORMERR) {
                    formerr++;
                }
            }
        }
        assertThat(silent).isPositive();
        assertThat(formerr).isPositive();
    }

    @Test
    void serverKeepsAnsweringAfterGarbageOverTheWire() throws Exception {
        InetSocketAddress addr = server.udpAddress();
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] p : packets(7L, PACKETS)) {
                s.send(new DatagramPacket(p, p.length, addr));
            }
        }
        // TCP: garbage lengths, short reads, then a connection closed mid-message
        Random rnd = new Random(11);
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                s.setSoTimeout(2000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] junk = new byte[rnd.nextInt(100)];
                rnd.nextBytes(junk);
                out.writeShort(rnd.nextInt(65536));
                out.write(junk);
                out.flush();
            }
        }
        // the kernel queues what the blast left (forwards to the silent upstream are slow to set up); a
        // client's retries outlast that backlog, as a real resolver's would
        String udp = Dig.run(addr, "svc1.testns.svc.cluster.local", "A", "+tries=6", "+time=3");
        assertThat(Dig.section(udp, "ANSWER")).as(udp).containsExactly("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1");
        assertThat(Dig.section(Dig.run(addr, "svc1.testns.svc.cluster.local", "A", "+tcp"), "ANSWER"))
                .containsExactly("svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1");
        // a well-formed TCP query after the garbage still gets an answer on a fresh connection
        try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
            s.setSoTimeout(5000);
            byte[] q = Message.newQuery(Record.newRecord(Name.fromString("svc1.testns.svc.cluster.local."), Type.A, 1)).toWire();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] r = new byte[in.readUnsignedShort()];
            in.readFully(r);
            assertThat(new Message(r).getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void aQueryFloodDoesNotGrowTheHeap() throws Exception {
        InetSocketAddress addr = server.udpAddress();
        long before = usedAfterGc();
        Random rnd = new Random(3);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setReceiveBufferSize(1 << 16); // replies are not read: they are dropped by the kernel
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 25_000; i++) {
                    String name = switch (i % 3) {
                        case 0 -> "svc1.testns.svc.cluster.local.";
                        case 1 -> "n" + rnd.nextInt() + ".testns.svc.cluster.local.";
                        default -> "n" + rnd.nextInt() + ".example.org."; // forwarded to the black hole
                    };
                    byte[] q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, 1)).toWire();
                    s.send(new DatagramPacket(q, q.length, addr));
                }
            }
        }
        long after = usedAfterGc();
        // forwards in flight are capped; everything else is answered and forgotten
        assertThat(after - before).as("heap growth after 100k queries").isLessThan(48L << 20);
        assertThat(server.metrics().render()).contains("turnout_dns_dropped_total{reason=\"forward_in_flight_limit\"}");
        assertThat(Dig.status(Dig.run(addr, "svc1.testns.svc.cluster.local", "A"))).isEqualTo("NOERROR");
    }

    private static long usedAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(Duration.ofMillis(100).toMillis());
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
