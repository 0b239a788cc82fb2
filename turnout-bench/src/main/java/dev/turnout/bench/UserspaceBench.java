package dev.turnout.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The userspace proxy against HAProxy (Debian's, {@code mode tcp}) on loopback, in one run: a Netty
 * backend on 127.0.0.1, each proxy in its own process with two threads, and one load generator
 * measuring new connections per second (connect, 16-byte request, 64-byte answer, the backend
 * closes) and throughput (four streams the backend sends without end). Runs alternate between the
 * proxies; the median of three counts. The backend alone (no proxy) is measured for scale.
 */
public final class UserspaceBench {
    static final String COMMAND = "bin/turnout bench userspace";
    static final String OURS_IP = "127.0.0.51";
    static final String HAPROXY_IP = "127.0.0.52";
    static final int THREADS = 2;
    static final int CPS_CLIENTS = 16;
    static final int STREAMS = 4;
    static final Duration RUN = Duration.ofSeconds(6);
    static final Duration WARMUP = Duration.ofSeconds(20);
    static final int ROUNDS = 5;

    private final PrintStream out;

    public UserspaceBench(PrintStream out) {
        this.out = out;
    }

    /** Where HAProxy is, or null. */
    static String haproxyBinary() {
        for (String p : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    public void run(Path doc) throws Exception {
        String haproxy = haproxyBinary();
        if (haproxy == null) {
            throw new IllegalStateException("haproxy is not installed: apt-get install -y haproxy");
        }
        EventLoopGroup group = Epoll.isAvailable() ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        Path tmp = Files.createTempDirectory("turnout-bench-userspace-");
        String loadBefore = loadAverage();
        Process ours = null;
        Process hap = null;
        try {
            Channel backend = backend(group);
            int backendPort = ((InetSocketAddress) backend.localAddress()).getPort();
            int port = freePort();
            ours = startOurs(port, backendPort, tmp);
            hap = startHaproxy(haproxy, port, backendPort, tmp);
            InetSocketAddress direct = new InetSocketAddress("127.0.0.1", backendPort);
            InetSocketAddress oursAddr = new InetSocketAddress(OURS_IP, port);
            InetSocketAddress hapAddr = new InetSocketAddress(HAPROXY_IP, port);
            awaitTcp(oursAddr, ours, tmp.resolve("ours.log"));
            awaitTcp(hapAddr, hap, tmp.resolve("haproxy.log"));

            out.println("warm-up …");
            for (InetSocketAddress a : List.of(oursAddr, hapAddr)) {
                cps(a, WARMUP);
                throughput(a, WARMUP);
            }
            double[] cpsOurs = new double[ROUNDS];
            double[] cpsHap = new double[ROUNDS];
            double[] tputOurs = new double[ROUNDS];
            double[] tputHap = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                out.printf("round %d/%d …%n", r + 1, ROUNDS);
                cpsOurs[r] = cps(oursAddr, RUN);
                cpsHap[r] = cps(hapAddr, RUN);
                tputOurs[r] = throughput(oursAddr, RUN);
                tputHap[r] = throughput(hapAddr, RUN);
                out.printf("  cps ours %.0f haproxy %.0f; MiB/s ours %.0f haproxy %.0f%n", cpsOurs[r], cpsHap[r],
                        tputOurs[r] / (1 << 20), tputHap[r] / (1 << 20));
            }
            double cpsDirect = cps(direct, RUN);
            double tputDirect = throughput(direct, RUN);
            String md = report(haproxyVersion(haproxy), loadBefore + " before, " + loadAverage() + " after", median(cpsOurs), median(cpsHap), median(tputOurs),
                    median(tputHap), cpsDirect, tputDirect, cpsOurs, cpsHap, tputOurs, tputHap);
            new BenchmarksDoc(doc).writeSection("userspace", md);
            out.println(md);
            out.println("written to " + doc);
        } finally {
            stop(ours);
            stop(hap);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process startOurs(int port, int backendPort, Path tmp) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java));
        // Extra JVM options for the proxy process only, e.g. a profiler.
        String extra = System.getenv("TURNOUT_BENCH_PROXY_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            argv.addAll(List.of(extra.trim().split("\\s+")));
        }
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), UserspaceProxyMain.class.getName(), OURS_IP, Integer.toString(port), Integer.toString(backendPort),
                Integer.toString(THREADS)));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(tmp.resolve("ours.log").toFile())
                .start();
        out.println("userspace proxy: PID " + p.pid());
        return p;
    }

    private Process startHaproxy(String bin, int port, int backendPort, Path tmp) throws IOException {
        Path cfg = tmp.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "  maxconn 8000",
                "  nbthread " + THREADS,
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 60s",
                "  timeout server 60s",
                "frontend bench",
                "  bind " + HAPROXY_IP + ":" + port,
                "  default_backend backends",
                "backend backends",
                "  balance random",
                "  server b1 127.0.0.1:" + backendPort,
                ""));
        // -db: stay in the foreground, so the PID we hold is HAProxy itself.
        Process p = new ProcessBuilder(bin, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("haproxy.log").toFile()).start();
        out.println("haproxy: PID " + p.pid());
        return p;
    }

    private static String haproxyVersion(String bin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bin, "-v").redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        p.waitFor();
        return first == null ? "HAProxy" : first.replaceAll(" - https?://\\S+", "").trim();
    }

    private static void awaitTcp(InetSocketAddress a, Process p, Path log) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(a, 1000);
                return;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(a + " did not come up (process " + (p.isAlive() ? "running" : "exited")
                            + "):\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * The backend: a first byte 'R' gets a 64-byte answer and the backend closes (so TIME_WAIT
     * stays on the server sides); 'T' gets data without end, as fast as the reader takes it.
     */
    static Channel backend(EventLoopGroup group) throws InterruptedException {
        ByteBuf answer = Unpooled.unreleasableBuffer(Unpooled.directBuffer(64).writeZero(64));
        ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(65536).writeZero(65536));
        return new ServerBootstrap().group(group)
                .channel(group instanceof EpollEventLoopGroup ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            boolean streaming;

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                byte first = b.readableBytes() > 0 ? b.getByte(b.readerIndex()) : 0;
                                ReferenceCountUtil.release(msg);
                                if (first == 'R') {
                                    ctx.writeAndFlush(answer.duplicate()).addListener(ChannelFutureListener.CLOSE);
                                } else if (first == 'T' && !streaming) {
                                    streaming = true;
                                    pump(ctx);
                                }
                            }

                            private void pump(ChannelHandlerContext ctx) {
                                while (ctx.channel().isWritable()) {
                                    ctx.write(chunk.duplicate(), ctx.voidPromise());
                                }
                                ctx.flush();
                            }

                            @Override
                            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                if (streaming && ctx.channel().isWritable()) {
                                    pump(ctx);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** Connections per second over {@code time}: connect, request, read the answer to EOF, close. */
    static double cps(InetSocketAddress to, Duration time) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CPS_CLIENTS);
        byte[] request = "R...............".getBytes(StandardCharsets.US_ASCII);
        List<Future<?>> fs = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < CPS_CLIENTS; i++) {
            fs.add(pool.submit(() -> {
                byte[] buf = new byte[256];
                while (!stop.get()) {
                    try (Socket s = new Socket()) {
                        s.setTcpNoDelay(true);
                        s.connect(to, 5000);
                        s.setSoTimeout(10000);
                        s.getOutputStream().write(request);
                        InputStream in = s.getInputStream();
                        int total = 0;
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            total += n;
                        }
                        if (total == 64) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(time.toMillis());
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        if (failed.get() > done.get() / 100) {
            throw new IllegalStateException(to + ": " + failed.get() + " of " + (done.get() + failed.get())
                    + " connections failed");
        }
        return done.get() / (elapsed / 1e9);
    }

    /** Bytes per second over {@code time}, summed over {@link #STREAMS} streams from the backend. */
    static double throughput(InetSocketAddress to, Duration time) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
        List<Future<?>> fs = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < STREAMS; i++) {
            fs.add(pool.submit(() -> {
                byte[] buf = new byte[256 * 1024];
                try (Socket s = new Socket()) {
                    s.connect(to, 5000);
                    s.setSoTimeout(10000);
                    s.getOutputStream().write('T');
                    InputStream in = s.getInputStream();
                    int n;
                    while (!stop.get() && (n = in.read(buf)) > 0) {
                        bytes.addAndGet(n);
                    }
                }
                return null;
            }));
        }
        Thread.sleep(time.toMillis());
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        long total = bytes.get();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return total / (elapsed / 1e9);
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /** The 1-minute load average: other work on the machine shifts these numbers. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String report(String haproxy, String load, double cpsOurs, double cpsHap, double tputOurs, double tputHap,
            double cpsDirect, double tputDirect, double[] cpsO, double[] cpsH, double[] tpO, double[] tpH) {
        StringBuilder b = new StringBuilder();
        b.append("## Userspace proxy against HAProxy on loopback\n\n");
        b.append("Command: `").append(COMMAND).append("` (needs `apt-get install -y haproxy`). Machine: ")
                .append(BenchmarksDoc.machine()).append(". ").append(haproxy).append(".\n\n");
        b.append("One Netty backend on 127.0.0.1; each proxy in its own process with ").append(THREADS)
                .append(" threads (ours: `UserspaceProxyMain`, the userspace mode's engine; HAProxy: `mode tcp`, ")
                .append("`nbthread ").append(THREADS).append("`), one backend server each. Connections per second: ")
                .append(CPS_CLIENTS).append(" clients in a loop of connect, 16-byte request, 64-byte answer, the ")
                .append("backend closes. Throughput: ").append(STREAMS).append(" streams the backend writes without ")
                .append("end. ").append(RUN.toSeconds()).append(" s per measurement, the proxies alternating, median of ")
                .append(ROUNDS).append(" rounds after a warm-up. Load generator, backend and proxy share the machine's ")
                .append("cores, so the numbers compare the proxies with each other, not with other hosts. ")
                .append("Load average during the run: ").append(load).append(".\n\n");
        b.append("| | userspace proxy | HAProxy | ratio (ours / HAProxy) | backend direct |\n");
        b.append("|---|---:|---:|---:|---:|\n");
        b.append(String.format(Locale.ROOT, "| new connections per second | %.0f | %.0f | %.2f× | %.0f |%n", cpsOurs, cpsHap,
                cpsOurs / cpsHap, cpsDirect));
        b.append(String.format(Locale.ROOT, "| throughput, MiB/s | %.0f | %.0f | %.2f× | %.0f |%n", tputOurs / (1 << 20),
                tputHap / (1 << 20), tputOurs / tputHap, tputDirect / (1 << 20)));
        b.append("\nEach round (connections/s ours, HAProxy; MiB/s ours, HAProxy): ");
        List<String> rounds = new ArrayList<>();
        for (int i = 0; i < cpsO.length; i++) {
            rounds.add(String.format(Locale.ROOT, "%.0f, %.0f; %.0f, %.0f", cpsO[i], cpsH[i], tpO[i] / (1 << 20),
                    tpH[i] / (1 << 20)));
        }
        b.append(String.join(" | ", rounds)).append(".\n");
        return b.toString();
    }
}
