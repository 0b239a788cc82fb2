package dev.turnout.proxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

/** Chain names against hashes that appear in upstream's proxier_test.go expected outputs. */
class ChainNamesTest {

    static Stream<Arguments> serviceChains() {
        return Stream.of(
                Arguments.of("ns1/svc1:p80", "tcp", "KUBE-SVC-XPGD46QRK7WJZT7O"),
                Arguments.of("ns2/svc2:p80", "tcp", "KUBE-SVC-GNZBNJ2PO5MGZ6GT"),
                Arguments.of("ns3/svc3:p80", "tcp", "KUBE-SVC-X27LE4BHSL4DOUIK"),
                Arguments.of("ns4/svc4:p80", "tcp", "KUBE-SVC-4SW47YFZTEDKD3PK"),
                Arguments.of("ns5/svc5:p80", "tcp", "KUBE-SVC-NUKIZ6OKUXPJNT4C"),
                Arguments.of("ns2/svc2:p8080", "tcp", "KUBE-SVC-2VJB64SDSIJUP5T6"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("serviceChains")
    void serviceChainIsSvcPrefixAndSixteenBase32DigitsOfSha256(String name, String proto, String expected) {
        assertThat(ChainNames.clusterChain(name, proto)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} shares its hash across SVC, SVL, EXT and FW")
    @MethodSource("serviceChains")
    void otherServiceChainsShareTheHash(String name, String proto, String expected) {
        String hash = expected.substring("KUBE-SVC-".length());
        assertThat(ChainNames.localChain(name, proto)).isEqualTo("KUBE-SVL-" + hash);
        assertThat(ChainNames.externalChain(name, proto)).isEqualTo("KUBE-EXT-" + hash);
        assertThat(ChainNames.firewallChain(name, proto)).isEqualTo("KUBE-FW-" + hash);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "ns1/svc1:p80, tcp, 10.180.0.1:80, KUBE-SEP-SXIVWICOYRO3J4NJ",
            "ns2/svc2:p80, tcp, 10.180.0.2:80, KUBE-SEP-RS4RBKLTHTF2IUXJ",
            "ns3/svc3:p80, tcp, 10.180.0.3:80, KUBE-SEP-OYPFS5VJICHGATKP",
            "ns4/svc4:p80, tcp, 10.180.0.4:80, KUBE-SEP-UKSFD7AGPMPPLUHC",
            "ns4/svc4:p80, tcp, 10.180.0.5:80, KUBE-SEP-C6EBXVWJJZMIWKLZ",
            "ns5/svc5:p80, tcp, 10.180.0.3:80, KUBE-SEP-I77PXRDZVX7PMWMN",
            "ns1/svc1:p80, tcp, 10.0.1.1:80, KUBE-SEP-SNQ3ZNILQDEJNDQO",
            "ns3/svc3:p80, tcp, 10.0.3.2:80, KUBE-SEP-DKCFIS26GWF2WLWC",
    })
    void endpointChainHashesTheEndpointToo(String name, String proto, String endpoint, String expected) {
        assertThat(ChainNames.endpointChain(name, proto, endpoint)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is ours: {1}")
    @CsvSource({
            "KUBE-SVC-XPGD46QRK7WJZT7O, true", "KUBE-SVL-XPGD46QRK7WJZT7O, true", "KUBE-EXT-XPGD46QRK7WJZT7O, true",
            "KUBE-FW-XPGD46QRK7WJZT7O, true", "KUBE-SEP-SXIVWICOYRO3J4NJ, true", "KUBE-SERVICES, false",
            "KUBE-MARK-MASQ, false", "KUBE-NODEPORTS, false", "CNI-HOSTPORT-DNAT, false",
    })
    void staleChainCleanupOnlyTouchesPerServiceChains(String chain, boolean ours) {
        assertThat(ChainNames.isServiceChain(chain)).isEqualTo(ours);
    }

    @ParameterizedTest(name = "1/{0} prints as {1}")
    @CsvSource({
            "1, 1.0000000000", "2, 0.5000000000", "3, 0.3333333333", "10, 0.1000000000", "100, 0.0100000000",
            "1000, 0.0010000000", "10000, 0.0001000000", "100000, 0.0000100000", "100001, 0.0000099999",
            "6, 0.1666666667", "7, 0.1428571429",
    })
    void probabilityIsGoPercent010f(int n, String expected) {
        assertThat(Probability.of(n)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "bit {0} -> {1}")
    @CsvSource({"14, 0x00004000", "5, 0x00000020", "0, 0x00000001", "31, 0x80000000"})
    void masqueradeMarkIsGoPercentHash08x(int bit, String expected) {
        assertThat(MasqueradeMark.fromBit(bit).text()).isEqualTo(expected);
    }
}
