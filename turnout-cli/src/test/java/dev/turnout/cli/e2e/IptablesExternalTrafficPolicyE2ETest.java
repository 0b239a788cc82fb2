package dev.turnout.cli.e2e;

/** The traffic-policy scenarios with {@code turnout proxy --mode iptables}. */
class IptablesExternalTrafficPolicyE2ETest extends ExternalTrafficPolicyScenarios {
    @Override
    String mode() {
        return "iptables";
    }
}
