package dev.turnout.cli.e2e;

/** The dataplane scenarios with {@code turnout proxy --mode nftables}. */
class NftablesDataplaneE2ETest extends DataplaneE2ETest {
    @Override
    String mode() {
        return "nftables";
    }
}
