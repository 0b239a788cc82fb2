package dev.turnout.lab;

import dev.turnout.lab.netns.CommandResult;
import dev.turnout.lab.netns.Netns;
import dev.turnout.lab.netns.NetnsProcess;
import java.time.Duration;
import java.util.List;

/**
 * Waits until a TCP port accepts connections, probing from inside a namespace with bash's
 * {@code /dev/tcp} (milliseconds per try, where a JVM probe would cost half a second). Gives up early
 * when the process that should listen has died, and then shows its output.
 */
public final class TcpProbe {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 50;

    private final Netns netns;

    public TcpProbe(Netns netns) {
        this.netns = netns;
    }

    public boolean answers(String namespace, String ip, int port) {
        CommandResult r = netns.exec(namespace,
                List.of("bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + port), PROBE_TIMEOUT);
        return r.succeeded();
    }

    /** Polls until the port answers; throws with the listener's output on timeout or when it exits. */
    public void await(String namespace, String ip, int port, Duration timeout, NetnsProcess listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (answers(namespace, ip, port)) {
                return;
            }
            if (listener != null && !listener.isAlive()) {
                throw new IllegalStateException(ip + ":" + port + " never answered: " + listener
                        + " exited. Output:\n" + listener.output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ip + ":" + port + " did not answer within " + timeout + " in " + namespace
                        + (listener == null ? "" : ". Output of " + listener + ":\n" + listener.output()));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + ip + ":" + port, e);
            }
        }
    }
}
