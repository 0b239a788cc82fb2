package dev.turnout.bench;

import dev.turnout.model.Endpoint;
import dev.turnout.model.Protocol;
import dev.turnout.model.SessionAffinity;
import dev.turnout.proxy.userspace.BackendSet;
import dev.turnout.proxy.userspace.ListenerKey;
import dev.turnout.proxy.userspace.ProxyEngine;
import dev.turnout.proxy.userspace.Transport;
import java.time.Duration;
import java.util.List;

/**
 * The userspace proxy's engine alone, in its own process for the benchmark (as HAProxy is):
 * {@code LISTEN_IP LISTEN_PORT BACKEND_PORT THREADS}. Prints "ready" once bound; runs until killed.
 */
public final class UserspaceProxyMain {
    private UserspaceProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        ProxyEngine.quietLeakDetection(); // as UserspaceProxyServer, so as turnout proxy --mode userspace
        ProxyEngine engine = new ProxyEngine(Transport.choose(true), Integer.parseInt(args[3]), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        BackendSet set = new BackendSet("bench");
        set.update(List.of(Endpoint.ready("127.0.0.1", Integer.parseInt(args[2]))), SessionAffinity.NONE);
        engine.open(new ListenerKey(args[0], Integer.parseInt(args[1]), Protocol.TCP), set);
        System.out.println("ready " + engine.transport().name());
        System.out.flush();
        Thread.currentThread().join();
    }
}
