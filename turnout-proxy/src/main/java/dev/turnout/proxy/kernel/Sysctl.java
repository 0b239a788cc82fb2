package dev.turnout.proxy.kernel;

/** Reads and writes integer kernel parameters, named as under /proc/sys ({@code net/ipv4/...}). */
public interface Sysctl {
    int get(String name) throws KernelException;

    void set(String name, int value) throws KernelException;

    /** Sets {@code name} to {@code value} unless it already is, as upstream's EnsureSysctl. */
    default void ensure(String name, int value) throws KernelException {
        if (get(name) != value) {
            set(name, value);
        }
    }
}
