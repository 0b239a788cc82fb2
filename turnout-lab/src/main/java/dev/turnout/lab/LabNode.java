package dev.turnout.lab;

import dev.turnout.model.Cidr;

/** A node: a network namespace with an underlay IP, a pod CIDR, and routes to its pods. */
public record LabNode(String name, int index, String namespace, String ip, Cidr podCidr) {
}
