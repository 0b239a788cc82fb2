package dev.turnout.model.manifest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes objects as YAML files into a manifests directory, one file per object, each replaced
 * atomically so that a {@code --manifests} watcher never reads half a file.
 */
public final class ManifestWriter {
    private final Path dir;

    public ManifestWriter(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public void write(List<? extends HasMetadata> objects) throws IOException {
        for (HasMetadata o : objects) {
            write(o);
        }
    }

    public Path write(HasMetadata o) throws IOException {
        Files.createDirectories(dir);
        Path file = fileOf(o);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".part");
        Files.writeString(tmp, Serialization.asYaml(o));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    public void delete(HasMetadata o) throws IOException {
        Files.deleteIfExists(fileOf(o));
    }

    private Path fileOf(HasMetadata o) {
        String ns = o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "_";
        return dir.resolve(o.getKind().toLowerCase(Locale.ROOT) + "_" + ns + o.getMetadata().getName() + ".yaml");
    }
}
