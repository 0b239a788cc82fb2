package dev.turnout.proxy.kernel.fake;

import dev.turnout.model.Protocol;
import dev.turnout.proxy.kernel.Conntrack;
import java.util.ArrayList;
import java.util.List;

/** Records conntrack deletions as the CLI arguments the real one would use. */
public final class FakeConntrack implements Conntrack {
    private final List<String> calls = new ArrayList<>();

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized void clear() {
        calls.clear();
    }

    @Override
    public synchronized void clearEntriesForIp(String ip, Protocol protocol) {
        calls.add("-D --orig-dst " + ip + " -p " + protocol.lower());
    }

    @Override
    public synchronized void clearEntriesForPort(int port, boolean ipv6, Protocol protocol) {
        calls.add("-D -p " + protocol.lower() + " --dport " + port + (ipv6 ? " -f ipv6" : ""));
    }

    @Override
    public synchronized void clearEntriesForNat(String origin, String dest, Protocol protocol) {
        calls.add("-D --orig-dst " + origin + " --dst-nat " + dest + " -p " + protocol.lower());
    }

    @Override
    public synchronized void clearEntriesForPortNat(String dest, int port, Protocol protocol) {
        calls.add("-D -p " + protocol.lower() + " --dport " + port + " --dst-nat " + dest);
    }
}
