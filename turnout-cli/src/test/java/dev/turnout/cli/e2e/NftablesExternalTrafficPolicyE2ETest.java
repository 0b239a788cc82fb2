package dev.turnout.cli.e2e;

/** The traffic-policy scenarios with {@code turnout proxy --mode nftables}. */
class NftablesExternalTrafficPolicyE2ETest extends ExternalTrafficPolicyScenarios {
    @Override
    String mode() {
        return "nftables";
    }
}
