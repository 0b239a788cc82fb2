package dev.turnout.proxy.iptables;

/**
 * Compiles a desired state into the iptables-restore input that upstream kube-proxy (iptables
 * mode) writes for it. A pure function: no I/O, no clock, no global state.
 */
public final class IptablesCompiler {
    private final IptablesConfig config;

    public IptablesCompiler(IptablesConfig config) {
        this.config = config;
    }

    public IptablesConfig config() {
        return config;
    }

    public CompiledRules compile(SyncInput input) {
        throw new UnsupportedOperationException("not written yet");
    }
}
