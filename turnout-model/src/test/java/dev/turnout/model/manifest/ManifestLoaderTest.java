package dev.turnout.model.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestLoaderTest {
    @TempDir
    Path dir;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: example-svc, namespace: default}
            spec:
              type: LoadBalancer
              clusterIP: 10.96.0.50
              selector: {app: example}
              ports:
              - {name: http, port: 80, targetPort: 8080, nodePort: 30080}
            """;
    private static final String SLICE = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: example-svc-abc
              namespace: default
              labels: {kubernetes.io/service-name: example-svc}
            addressType: IPv4
            ports: [{name: http, port: 8080, protocol: TCP}]
            endpoints:
            - addresses: [10.244.1.2]
              conditions: {ready: true}
              nodeName: node1
            """;

    @Test
    void readsMultiDocumentFilesListsAndDirectories() throws Exception {
        Files.writeString(dir.resolve("svc.yaml"), SERVICE + "---\n" + SLICE);
        Files.createDirectories(dir.resolve("more"));
        Files.writeString(dir.resolve("more/list.yaml"), """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: node1, labels: {topology.kubernetes.io/zone: z1}}
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: ignored}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");

        Manifests m = new ManifestLoader().load(dir);

        assertThat(m.services()).extracting(s -> s.getMetadata().getName()).containsExactly("example-svc");
        assertThat(m.endpointSlices()).hasSize(1);
        assertThat(m.nodes()).extracting(n -> n.getMetadata().getName()).containsExactly("node1");
        assertThat(m.ignored()).isEqualTo(1);
    }

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                Arguments.of("port out of range is rejected with the field",
                        SERVICE.replace("port: 80,", "port: 70000,"),
                        "Service default/example-svc: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535"),
                Arguments.of("unknown protocol is rejected with the allowed values",
                        SERVICE.replace("targetPort: 8080,", "targetPort: 8080, protocol: ICMP,"),
                        "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""),
                Arguments.of("unknown field is rejected with its path",
                        SERVICE.replace("targetPort: 8080,", "targetPort: 8080, prot: TCP,"),
                        "spec.ports[0].prot: Unsupported value: unknown field"),
                Arguments.of("wrong type names the field",
                        SERVICE.replace("port: 80,", "port: eighty,"),
                        "spec.ports[0].port: Invalid value"),
                Arguments.of("service name must be a DNS-1035 label",
                        SERVICE.replace("name: example-svc,", "name: 1example,"),
                        "metadata.name: Invalid value: \"1example\": must be a DNS-1035 label"),
                Arguments.of("bad cluster IP is rejected",
                        SERVICE.replace("10.96.0.50", "10.96.0.500"),
                        "spec.clusterIP: Invalid value: \"10.96.0.500\""),
                Arguments.of("traffic policy must be Cluster or Local",
                        SERVICE.replace("type: LoadBalancer", "type: LoadBalancer\n  externalTrafficPolicy: Nearby"),
                        "spec.externalTrafficPolicy: Unsupported value: \"Nearby\""),
                Arguments.of("endpoint slice needs an address type",
                        SLICE.replace("addressType: IPv4\n", ""),
                        "EndpointSlice default/example-svc-abc: addressType: Required value"),
                Arguments.of("old API version of a known kind is rejected",
                        SLICE.replace("discovery.k8s.io/v1", "discovery.k8s.io/v1beta1"),
                        "apiVersion: Unsupported value: \"discovery.k8s.io/v1beta1\""),
                Arguments.of("object without kind is rejected",
                        "apiVersion: v1\nmetadata: {name: x}\n",
                        "kind: Required value"),
                Arguments.of("broken YAML names the line",
                        "apiVersion: v1\nkind: Service\nmetadata: {name: [x\n",
                        "not valid YAML/JSON"),
                Arguments.of("duplicate objects are rejected",
                        SERVICE + "---\n" + SERVICE,
                        "Duplicate value: \"example-svc\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void rejectsInvalidManifestsNamingFileObjectAndField(String rule, String yaml, String expected) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);

        assertThatThrownBy(() -> new ManifestLoader().load(file))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(expected);
    }

    @Test
    void missingPathIsAnError() {
        assertThatThrownBy(() -> new ManifestLoader().load(dir.resolve("nope")))
                .hasMessageContaining("nope");
    }
}
