package dev.turnout.proxy.userspace;

import java.time.Duration;
import java.util.List;

/**
 * The options of the userspace proxier.
 *
 * @param nodeName decides which endpoints are local
 * @param nodeIps where NodePorts listen (in loopback mode use a 127.x address, e.g. 127.0.0.1)
 * @param addresses how Service addresses become bindable: DUMMY (interface turnout0, needs
 *     CAP_NET_ADMIN in the proxy's namespace) or LOOPBACK (only 127.0.0.0/8 Service addresses)
 * @param threads event loop threads; 0 for Netty's default
 * @param preferEpoll use the native epoll transport where it loads
 */
public record UserspaceConfig(String nodeName, List<String> nodeIps, AddressMode addresses, int threads,
        boolean preferEpoll, Duration connectTimeout, Duration udpIdleTimeout) {

    public enum AddressMode { DUMMY, LOOPBACK }

    public UserspaceConfig {
        nodeIps = List.copyOf(nodeIps);
    }

    public static UserspaceConfig loopback(String nodeName) {
        return new UserspaceConfig(nodeName, List.of("127.0.0.1"), AddressMode.LOOPBACK, 0, true,
                ProxyEngine.DEFAULT_CONNECT_TIMEOUT, ProxyEngine.DEFAULT_UDP_IDLE_TIMEOUT);
    }

    public UserspaceConfig withUdpIdleTimeout(Duration d) {
        return new UserspaceConfig(nodeName, nodeIps, addresses, threads, preferEpoll, connectTimeout, d);
    }
}
