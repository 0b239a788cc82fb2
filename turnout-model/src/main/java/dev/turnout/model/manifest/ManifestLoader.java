package dev.turnout.model.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Services, EndpointSlices and Nodes from YAML or JSON files: one file or a directory tree,
 * several documents per file, and {@code List} kinds. Everything is checked before anything is
 * returned, so a caller gets either all objects or a {@link ManifestException} listing every
 * problem with its file, object and field.
 */
public final class ManifestLoader {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    private final ObjectMapper json = new ObjectMapper();

    public Manifests load(Path path) throws ManifestException, IOException {
        List<String> problems = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        int[] ignored = {0};
        java.util.Map<String, String> firstSeen = new java.util.HashMap<>();
        for (Path file : filesUnder(path)) {
            for (Document doc : documents(file, problems)) {
                HasMetadata obj = toObject(doc, problems, ignored);
                if (obj == null) {
                    continue;
                }
                List<String> objProblems = ObjectValidator.validate(obj);
                String where = doc.where() + ": " + obj.getKind() + " " + Manifests.key(obj) + ": ";
                objProblems.forEach(p -> problems.add(where + p));
                String seen = firstSeen.putIfAbsent(obj.getKind() + " " + Manifests.key(obj), doc.where());
                if (seen != null) {
                    problems.add(where + "metadata.name: Duplicate value: \"" + obj.getMetadata().getName()
                            + "\": already defined in " + seen);
                    continue;
                }
                if (obj instanceof Service s) {
                    services.add(s);
                } else if (obj instanceof EndpointSlice e) {
                    slices.add(e);
                } else if (obj instanceof Node n) {
                    nodes.add(n);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
        return new Manifests(services, slices, nodes, ignored[0]);
    }

    /** The manifest files of a path: the file itself, or every .yaml/.yml/.json below a directory. */
    public static List<Path> filesUnder(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
                    })
                    .sorted()
                    .toList();
        }
    }

    private record Document(Path file, int index, JsonNode node) {
        String where() {
            return file + (index > 0 ? " (document " + (index + 1) + ")" : "");
        }
    }

    private List<Document> documents(Path file, List<String> problems) throws IOException {
        List<Document> docs = new ArrayList<>();
        int index = 0;
        ObjectMapper mapper = file.toString().endsWith(".json") ? json : yaml;
        try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    if (isList(node)) {
                        JsonNode items = node.get("items");
                        for (JsonNode item : items == null ? List.<JsonNode>of() : items) {
                            docs.add(new Document(file, index, item));
                        }
                    } else {
                        docs.add(new Document(file, index, node));
                    }
                }
                index++;
            }
        } catch (JsonProcessingException e) {
            problems.add(file + ": not valid YAML/JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        } catch (RuntimeException e) {
            problems.add(file + ": not valid YAML/JSON: " + e.getMessage());
        }
        return docs;
    }

    private static boolean isList(JsonNode node) {
        JsonNode kind = node.get("kind");
        return kind != null && kind.isTextual() && kind.asText().endsWith("List") && node.has("items");
    }

    private HasMetadata toObject(Document doc, List<String> problems, int[] ignored) {
        JsonNode node = doc.node();
        if (!(node instanceof ObjectNode)) {
            problems.add(doc.where() + ": expected a Kubernetes object (a mapping with apiVersion and kind), got " + node.getNodeType());
            return null;
        }
        String apiVersion = text(node, "apiVersion");
        String kind = text(node, "kind");
        if (apiVersion == null || kind == null) {
            problems.add(doc.where() + ": " + (apiVersion == null ? "apiVersion" : "kind")
                    + ": Required value: every object needs apiVersion and kind");
            return null;
        }
        Class<? extends HasMetadata> type = KnownKinds.classOf(apiVersion, kind);
        if (type == null) {
            String expected = KnownKinds.expectedApiVersion(kind);
            if (expected != null) {
                problems.add(doc.where() + ": " + kind + ": apiVersion: Unsupported value: \"" + apiVersion
                        + "\": supported values: \"" + expected + "\"");
            } else {
                ignored[0]++;
            }
            return null;
        }
        String name = text(node.path("metadata"), "name");
        String label = kind + " " + (name == null ? "(unnamed)" : name);
        try {
            HasMetadata obj = yaml.treeToValue(node, type);
            List<String> unknown = UnknownFields.of(obj);
            for (String field : unknown) {
                problems.add(doc.where() + ": " + label + ": " + field + ": Unsupported value: unknown field \"" + field + "\"");
            }
            return unknown.isEmpty() ? obj : null;
        } catch (JsonMappingException e) {
            problems.add(doc.where() + ": " + label + ": " + pathOf(e) + ": Invalid value: " + e.getOriginalMessage());
            return null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            problems.add(doc.where() + ": " + label + ": Invalid value: " + e.getMessage());
            return null;
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(object)" : sb.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
