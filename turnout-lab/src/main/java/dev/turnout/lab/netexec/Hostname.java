package dev.turnout.lab.netexec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hostname of the UTS namespace we run in, read from procfs. Deliberately not
 * {@code InetAddress.getLocalHost()}: that consults the resolver, and a pod namespace has none.
 */
public final class Hostname {

    private static final Path PROC_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private Hostname() {
    }

    public static String current() {
        try {
            return Files.readString(PROC_HOSTNAME).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROC_HOSTNAME, e);
        }
    }
}
