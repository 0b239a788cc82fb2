package dev.turnout.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JumpRuleTest {
    @Test
    void jumpRulesAreUpstreamsInOrderWithExtraArgsBeforeTheComment() {
        assertThat(JumpRule.ALL).hasSize(14);
        assertThat(JumpRule.ALL.get(0).insertArgs()).containsExactly("-t", "filter", "-I", "INPUT",
                "-m", "conntrack", "--ctstate", "NEW",
                "-m", "comment", "--comment", "kubernetes externally-visible service portals",
                "-j", "KUBE-EXTERNAL-SERVICES");
        assertThat(JumpRule.ALL.get(11).checkArgs()).containsExactly("-t", "nat", "-C", "POSTROUTING",
                "-m", "comment", "--comment", "kubernetes postrouting rules", "-j", "KUBE-POSTROUTING");
        // kubelet's KUBE-FIREWALL duplicates carry no comment
        assertThat(JumpRule.ALL.get(13).ruleArgs()).isEqualTo(List.of("-j", "KUBE-FIREWALL"));
    }

    @Test
    void routeLocalnetIsNeededOnlyForIpv4LocalhostNodePorts() {
        assertThat(new IptablesCompiler(GoldenCases.base()).requiredSysctls())
                .containsEntry(IptablesCompiler.SYSCTL_ROUTE_LOCALNET, "1");
        assertThat(new IptablesCompiler(GoldenCases.with(e -> {
            e.localhost = false;
            return e;
        })).requiredSysctls()).isEmpty();
        assertThat(new IptablesCompiler(GoldenCases.with(e -> {
            e.nodePortAddresses = List.of(dev.turnout.model.Cidr.parse("192.168.0.0/24"));
            return e;
        })).requiredSysctls()).isEmpty();
    }
}
