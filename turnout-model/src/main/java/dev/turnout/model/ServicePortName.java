package dev.turnout.model;

import java.util.Objects;

/**
 * Identifies one port of one Service, as kube-proxy's {@code ServicePortName}: namespace, name,
 * port name and protocol. It prints as {@code ns/name:port}, or {@code ns/name} for an unnamed port.
 */
public record ServicePortName(String namespace, String name, String port, Protocol protocol)
        implements Comparable<ServicePortName> {

    public ServicePortName {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        port = port == null ? "" : port;
        Objects.requireNonNull(protocol, "protocol");
    }

    /** {@code namespace/name}, the Service's NamespacedName. */
    public String namespacedName() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return port.isEmpty() ? namespacedName() : namespacedName() + ":" + port;
    }

    @Override
    public int compareTo(ServicePortName o) {
        int c = toString().compareTo(o.toString());
        return c != 0 ? c : protocol.compareTo(o.protocol);
    }
}
