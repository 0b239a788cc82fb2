package dev.turnout.proxy.userspace;

import dev.turnout.model.Ips;
import dev.turnout.proxy.kernel.CommandResult;
import dev.turnout.proxy.kernel.CommandRunner;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Makes a Service address bindable on this host before a listener binds it, and undoes that after.
 * Two ways: {@link #dummy} adds each address as a /32 on a dummy interface it creates in the
 * network namespace the proxy runs in (needs CAP_NET_ADMIN there); {@link #loopback} needs no
 * privilege and only accepts 127.0.0.0/8 addresses, which Linux lets any process bind: the others
 * are skipped.
 */
public interface ServiceAddresses extends AutoCloseable {
    String DUMMY_INTERFACE = "turnout0";

    /** Makes {@code ip} bindable; false when this mode cannot serve it (the listener is skipped). */
    boolean acquire(String ip) throws IOException;

    /** The listener on {@code ip} is gone: release it if this added it. */
    void release(String ip);

    /** Removes whatever this added. */
    @Override
    void close();

    static boolean isLoopback(String ip) {
        return ip.startsWith("127.");
    }

    static ServiceAddresses loopback() {
        return new ServiceAddresses() {
            private final Set<String> warned = new HashSet<>();
            private final Logger log = Logger.getLogger(ServiceAddresses.class.getName());

            @Override
            public boolean acquire(String ip) {
                if (isLoopback(ip)) {
                    return true;
                }
                if (warned.add(ip)) {
                    log.warning("skipping " + ip + ": only 127.0.0.0/8 addresses can be served without privilege "
                            + "(run as root in the node's namespace for the dummy interface)");
                }
                return false;
            }

            @Override
            public void release(String ip) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The dummy interface {@value #DUMMY_INTERFACE}: created on first use, each Service address
     * added as /32, deleted on close (with every address on it). Where the kernel has no dummy
     * driver, the addresses go on {@code lo} of the same namespace and are deleted one by one. Addresses already on the host
     * ({@code hostIps}: the node's own, loopback) are bound as they are.
     */
    static ServiceAddresses dummy(CommandRunner runner, List<String> hostIps) {
        return new DummyInterface(runner, hostIps);
    }

    /** See {@link ServiceAddresses#dummy}. */
    final class DummyInterface implements ServiceAddresses {
        private final CommandRunner runner;
        private final Set<String> hostIps;
        private final Set<String> added = new HashSet<>();
        private boolean created;
        private String device = DUMMY_INTERFACE;

        DummyInterface(CommandRunner runner, List<String> hostIps) {
            this.runner = runner;
            this.hostIps = Set.copyOf(hostIps);
        }

        @Override
        public synchronized boolean acquire(String ip) throws IOException {
            if (isLoopback(ip) || hostIps.contains(ip) || added.contains(ip)) {
                return true;
            }
            if (!created) {
                CommandResult r = runner.run(List.of("ip", "link", "add", DUMMY_INTERFACE, "type", "dummy"));
                if (!r.ok() && r.stderr().contains("Unknown device type")) {
                    // No dummy driver in this kernel (or no module loading here): lo works the same way.
                    Logger.getLogger(ServiceAddresses.class.getName()).warning("no dummy interface support ("
                            + r.stderr().strip() + "); adding Service addresses to lo instead");
                    device = "lo";
                } else {
                    if (!r.ok() && !r.stderr().contains("File exists")) {
                        throw new IOException(r.describe());
                    }
                    run(List.of("ip", "link", "set", DUMMY_INTERFACE, "up"), false);
                }
                created = true;
            }
            run(List.of("ip", "addr", "replace", Ips.hostCidr(ip), "dev", device), false);
            added.add(ip);
            return true;
        }

        @Override
        public synchronized void release(String ip) {
            if (added.remove(ip)) {
                try {
                    run(List.of("ip", "addr", "del", Ips.hostCidr(ip), "dev", device), false);
                } catch (IOException e) {
                    Logger.getLogger(ServiceAddresses.class.getName()).warning(e.getMessage());
                }
            }
        }

        @Override
        public synchronized void close() {
            if (!created) {
                return;
            }
            try {
                if (device.equals(DUMMY_INTERFACE)) {
                    run(List.of("ip", "link", "del", DUMMY_INTERFACE), false);
                } else {
                    for (String ip : added) {
                        run(List.of("ip", "addr", "del", Ips.hostCidr(ip), "dev", device), false);
                    }
                }
            } catch (IOException e) {
                Logger.getLogger(ServiceAddresses.class.getName()).warning(e.getMessage());
            }
            created = false;
            added.clear();
        }

        private void run(List<String> argv, boolean existsIsOk) throws IOException {
            CommandResult r = runner.run(argv);
            if (!r.ok() && !(existsIsOk && r.stderr().contains("File exists"))) {
                throw new IOException(r.describe());
            }
        }
    }
}
