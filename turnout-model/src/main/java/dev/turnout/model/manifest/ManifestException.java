package dev.turnout.model.manifest;

import java.util.List;

/**
 * Manifests that are not valid Kubernetes. Each problem names the file, the object and the field,
 * in the shape kubectl prints API validation errors.
 */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ManifestException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
