package dev.turnout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/benchmarks.md, one section per benchmark between {@code <!-- bench:ID -->} markers, so each
 * benchmark command rewrites its own section and leaves the others as they are.
 */
public final class BenchmarksDoc {
    private static final String HEADER = "# Benchmarks\n\nEach section is written by the command it names; "
            + "numbers are from one run on the machine it describes.\n";

    private final Path file;

    public BenchmarksDoc(Path file) {
        this.file = file;
    }

    public void writeSection(String id, String markdown) throws IOException {
        String begin = "<!-- bench:" + id + " -->";
        String end = "<!-- /bench:" + id + " -->";
        String doc = Files.exists(file) ? Files.readString(file) : HEADER;
        String block = begin + "\n" + markdown.strip() + "\n" + end;
        int b = doc.indexOf(begin);
        int e = doc.indexOf(end);
        if (b >= 0 && e > b) {
            doc = doc.substring(0, b) + block + doc.substring(e + end.length());
        } else {
            doc = doc.stripTrailing() + "\n\n" + block + "\n";
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, doc);
    }

    /** One line describing the machine: CPU model, cores, memory, kernel, Java. */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // keep "unknown CPU": the description is informative only
        }
        long memGiB = Math.round(osTotalMemory() / (1024.0 * 1024 * 1024));
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memGiB + " GiB, Linux "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
    }

    private static long osTotalMemory() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 0;
    }
}
