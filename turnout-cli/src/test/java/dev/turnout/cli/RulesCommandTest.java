package dev.turnout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code turnout rules} as a user calls it: good input prints rules, bad input names what is wrong. */
class RulesCommandTest {
    @TempDir
    Path dir;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              clusterIP: 10.96.0.7
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            ports: [{name: http, port: 8080}]
            endpoints: [{addresses: [10.244.1.9]}]
            """;

    @Test
    void printsTheNftablesTransactionInNftablesMode() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), SERVICE);

        CliRun r = CliRun.of("rules", "--mode", "nftables", "--manifests", dir.toString(), "--node-name", "node1",
                "--cluster-cidr", "10.244.0.0/16");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n")
                .contains("add element ip kube-proxy service-ips { 10.96.0.7 . tcp . 80 : goto service-",
                        "meta l4proto tcp dnat to 10.244.1.9:8080",
                        "mark set mark or 0x00004000");
    }

    @Test
    void printsTheFullSyncRulesetForTheManifests() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), SERVICE);

        CliRun r = CliRun.of("rules", "--mode", "iptables", "--manifests", dir.toString(), "--node-name", "node1",
                "--cluster-cidr", "10.244.0.0/16", "--masquerade-bit", "5");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("*filter\n").contains("*nat\n")
                .contains("-A KUBE-SERVICES -m comment --comment \"shop/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.7 --dport 80 -j KUBE-SVC-")
                .contains("-j DNAT --to-destination 10.244.1.9:8080")
                .contains("--or-mark 0x00000020")
                .endsWith("COMMIT\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "masquerade bit out of range | --masquerade-bit=32 | --masquerade-bit: 32 is out of range; allowed: 0..31",
        "cluster CIDR that is not one | --cluster-cidr=10.244.0.0/33 | --cluster-cidr: \"10.244.0.0/33\" is not a CIDR",
        "node IP that is not one | --node-ip=node1 | --node-ip: \"node1\" is not an IP address",
        "nodeport addresses not CIDRs | --nodeport-addresses=eth0 | --nodeport-addresses: \"eth0\" is not a CIDR",
        "unknown mode | --mode=ipvs | Invalid value for option '--mode'",
    })
    void badFlagsAreRefusedWithExitCode2NamingFlagAndValue(String name, String flag, String message) throws Exception {
        Files.writeString(dir.resolve("web.yaml"), SERVICE);

        CliRun r = CliRun.of("rules", "--manifests", dir.toString(), flag);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void invalidManifestsAreRefusedWithFileObjectAndField() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), SERVICE.replace("port: 80,", "port: 0,"));

        CliRun r = CliRun.of("rules", "--manifests", dir.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("web.yaml: Service shop/web: spec.ports[0].port: Invalid value: 0");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingPathIsNamed() {
        CliRun r = CliRun.of("rules", "--manifests", dir.resolve("absent").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("absent: no such file or directory");
    }
}
