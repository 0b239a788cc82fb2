package dev.turnout.cli;

import dev.turnout.model.Cidr;
import dev.turnout.model.IpFamily;
import dev.turnout.model.Ips;
import dev.turnout.proxy.iptables.IptablesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that shape a node's rules, shared by {@code rules} and {@code proxy}; named as kube-proxy's. */
public final class DataplaneOptions {
    @Option(names = {"--node-name", "--hostname-override"}, paramLabel = "NAME",
            description = "This node's name: endpoints on it are local (default: the host name).")
    String nodeName;

    @Option(names = "--node-ip", paramLabel = "IP", description = "This node's IP address (repeatable).")
    List<String> nodeIps = new ArrayList<>();

    @Option(names = "--cluster-cidr", paramLabel = "CIDR",
            description = "Pod CIDR(s): traffic from elsewhere to a Service is masqueraded (repeatable).")
    List<String> clusterCidrs = new ArrayList<>();

    @Option(names = {"--masquerade-bit", "--iptables-masquerade-bit"}, paramLabel = "N", defaultValue = "14",
            description = "The fwmark bit that marks packets for SNAT, 0..31 (default: ${DEFAULT-VALUE}).")
    int masqueradeBit;

    @Option(names = "--nodeport-addresses", paramLabel = "CIDR",
            description = "Only node addresses in these CIDRs accept NodePort traffic (default: all local addresses).")
    List<String> nodePortAddresses = new ArrayList<>();

    @Option(names = {"--localhost-nodeports", "--iptables-localhost-nodeports"}, negatable = true, defaultValue = "true",
            fallbackValue = "true", description = "Accept NodePort connections on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    boolean localhostNodePorts;

    @Option(names = "--nfacct", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Count packets with nfacct counters where kube-proxy does (default: ${DEFAULT-VALUE}).")
    boolean nfacct;

    /** Checks every value and builds the compiler's configuration; a bad value names the flag. */
    IptablesConfig toConfig() {
        List<String> ips = new ArrayList<>();
        for (String ip : nodeIps) {
            String c = Ips.canonical(ip);
            if (c == null) {
                throw new UsageException("--node-ip: \"" + ip + "\" is not an IP address; allowed: an IPv4 or IPv6 literal such as 192.168.1.10");
            }
            ips.add(c);
        }
        if (masqueradeBit < 0 || masqueradeBit > 31) {
            throw new UsageException("--masquerade-bit: " + masqueradeBit + " is out of range; allowed: 0..31");
        }
        return new IptablesConfig(IpFamily.IPv4, nodeName(), ips, cidrs("--cluster-cidr", clusterCidrs), masqueradeBit,
                cidrs("--nodeport-addresses", nodePortAddresses), localhostNodePorts, nfacct);
    }

    String nodeName() {
        if (nodeName != null && !nodeName.isBlank()) {
            return nodeName.trim().toLowerCase(Locale.ROOT);
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new UsageException("--node-name: not given and the host name cannot be read: " + e.getMessage());
        }
    }

    private static List<Cidr> cidrs(String flag, List<String> values) {
        List<Cidr> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                Cidr c = Cidr.tryParse(part.trim());
                if (c == null) {
                    throw new UsageException(flag + ": \"" + part.trim() + "\" is not a CIDR; allowed: address/prefix-length such as 10.244.0.0/16");
                }
                out.add(c);
            }
        }
        return out;
    }
}
