package dev.turnout.cli.e2e;

/** The dataplane scenarios with {@code turnout proxy --mode iptables}. */
class IptablesDataplaneE2ETest extends DataplaneE2ETest {
    @Override
    String mode() {
        return "iptables";
    }
}
