package dev.turnout.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a workload's argv so it runs in a fresh UTS namespace with its own hostname, as a pod's
 * containers do. Each step execs the next ({@code unshare} without {@code --fork}, then {@code exec "$@"}),
 * so the PID the launcher sees is the workload's and killing it by PID kills the workload.
 */
public final class PodCommand {

    private PodCommand() {
    }

    public static List<String> withHostname(String hostname, List<String> argv) {
        LabNames.requireDnsLabel(hostname);
        List<String> full = new ArrayList<>(List.of(
                "unshare", "--uts", "sh", "-c", "hostname \"$1\" && shift && exec \"$@\"", "sh", hostname));
        full.addAll(argv);
        return full;
    }
}
