package dev.turnout.proxy.kernel;

import java.io.IOException;
import java.util.List;

/**
 * {@link Sysctl} through the {@code sysctl} binary, so that it reaches the namespace the
 * {@link CommandRunner} runs in (a netns /proc/sys is only visible from inside it).
 */
public final class SysctlCli implements Sysctl {
    private final CommandRunner runner;

    public SysctlCli(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public int get(String name) throws KernelException {
        CommandResult r = exec(List.of("sysctl", "-n", name));
        try {
            return Integer.parseInt(r.stdout().strip());
        } catch (NumberFormatException e) {
            throw new KernelException("sysctl " + name + ": not an integer: " + r.stdout().strip(), e);
        }
    }

    @Override
    public void set(String name, int value) throws KernelException {
        exec(List.of("sysctl", "-w", name + "=" + value));
    }

    private CommandResult exec(List<String> argv) throws KernelException {
        try {
            CommandResult r = runner.run(argv);
            if (!r.ok()) {
                throw new KernelException(r);
            }
            return r;
        } catch (IOException e) {
            throw new KernelException(String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }
}
