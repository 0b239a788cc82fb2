package dev.turnout.proxy.kernel;

/** A kernel tool (iptables, conntrack, sysctl) could not be run or reported failure. */
public class KernelException extends Exception {
    private final int exitCode;

    public KernelException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public KernelException(CommandResult result) {
        this(result.describe(), result.exitCode(), null);
    }

    public KernelException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    /** The tool's exit code, or -1 when it did not run. */
    public int exitCode() {
        return exitCode;
    }
}
