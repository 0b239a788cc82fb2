package dev.turnout.dns;

/**
 * How {@code a-b-c-d.ns.pod.zone} names are answered, as CoreDNS's {@code pods} option of the
 * kubernetes plugin: not at all, from the name alone, or only for IPs known to be pods in that
 * namespace.
 */
public enum PodsMode {
    /** Pod names do not exist (NXDOMAIN); CoreDNS's default. */
    disabled,
    /** Any well-formed dashed IP answers with that IP, whatever the namespace (kube-dns compatible). */
    insecure,
    /**
     * Only IPs of pods in that namespace answer. This source has no Pod objects, so a pod is known
     * from EndpointSlice endpoints whose targetRef is a Pod in that namespace.
     */
    verified
}
