package dev.turnout.model;

/** An IP family; kube-proxy runs one proxier per family and each sees only its own addresses. */
public enum IpFamily {
    IPv4, IPv6;

    public boolean owns(String ip) {
        return Ips.familyOf(ip) == this;
    }

    public static IpFamily ofKubernetes(String value) {
        return "IPv6".equals(value) ? IPv6 : IPv4;
    }
}
