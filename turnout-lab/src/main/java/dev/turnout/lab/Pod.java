package dev.turnout.lab;

/** A pod: its own network namespace with {@code eth0} holding a /32 IP, joined point-to-point to its node. */
public record Pod(String name, String ip, String namespace, LabNode node) {
}
