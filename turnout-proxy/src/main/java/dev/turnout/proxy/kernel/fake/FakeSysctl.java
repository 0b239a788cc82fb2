package dev.turnout.proxy.kernel.fake;

import dev.turnout.proxy.kernel.KernelException;
import dev.turnout.proxy.kernel.Sysctl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kernel parameters in a map; unknown names fail as a missing /proc/sys file would. */
public final class FakeSysctl implements Sysctl {
    private final Map<String, Integer> values = new HashMap<>();
    private final List<String> writes = new ArrayList<>();

    public FakeSysctl with(String name, int value) {
        values.put(name, value);
        return this;
    }

    public synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public synchronized int get(String name) throws KernelException {
        Integer v = values.get(name);
        if (v == null) {
            throw new KernelException("sysctl: cannot stat /proc/sys/" + name, 255, null);
        }
        return v;
    }

    @Override
    public synchronized void set(String name, int value) {
        values.put(name, value);
        writes.add(name + "=" + value);
    }
}
