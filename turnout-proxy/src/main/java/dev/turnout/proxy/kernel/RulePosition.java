package dev.turnout.proxy.kernel;

/** Where {@link Iptables#ensureRule} puts a missing rule: first ({@code -I}) or last ({@code -A}). */
public enum RulePosition {
    PREPEND("-I"), APPEND("-A");

    private final String flag;

    RulePosition(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }
}
