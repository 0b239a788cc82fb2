package dev.turnout.model.source;

import dev.turnout.model.manifest.ManifestException;
import dev.turnout.model.manifest.ManifestLoader;
import dev.turnout.model.manifest.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Serves the objects of manifest files ({@code --manifests PATH}) and follows the path: when a
 * file changes, the whole set is read again and the differences are delivered as add, update and
 * delete events. A set that fails to load is reported and changes nothing; the last good set stays.
 */
public final class ManifestSource implements ClusterSource {
    private static final Duration SETTLE = Duration.ofMillis(150);

    private final Path path;
    private final ManifestLoader loader = new ManifestLoader();
    private final Consumer<String> errors;
    private volatile WatchService watcher;
    private Thread thread;
    private Manifests current;

    /** @param errors where reload failures go (the initial load throws instead) */
    public ManifestSource(Path path, Consumer<String> errors) {
        this.path = path;
        this.errors = errors;
    }

    @Override
    public synchronized void start(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices,
            ObjectHandler<Node> nodes) throws IOException, ManifestException {
        // Watch before reading: a change made while (or just after) the first set is delivered
        // must still wake the watcher, or it would be lost until the next edit.
        watcher = FileSystems.getDefault().newWatchService();
        registerAll();
        try {
            current = loader.load(path);
        } catch (IOException | ManifestException | RuntimeException e) {
            close();
            throw e;
        }
        current.services().forEach(services::onAdd);
        current.endpointSlices().forEach(slices::onAdd);
        current.nodes().forEach(nodes::onAdd);
        services.onSynced();
        slices.onSynced();
        nodes.onSynced();
        thread = new Thread(() -> follow(services, slices, nodes), "manifest-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void registerAll() throws IOException {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        try (Stream<Path> s = Files.isDirectory(path) ? Files.walk(dir) : Stream.of(dir)) {
            for (Path d : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void follow(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices, ObjectHandler<Node> nodes) {
        try {
            while (true) {
                var key = watcher.take();
                key.pollEvents();
                key.reset();
                // Editors write in several steps; let the burst settle and drain it as one change.
                Thread.sleep(SETTLE.toMillis());
                for (var more = watcher.poll(); more != null; more = watcher.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
                    more.pollEvents();
                    more.reset();
                }
                reload(services, slices, nodes);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void reload(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices,
            ObjectHandler<Node> nodes) {
        Manifests next;
        try {
            next = loader.load(path);
            registerAll();
        } catch (ManifestException | IOException e) {
            errors.accept("manifests at " + path + " not reloaded, keeping the last good set: " + e.getMessage());
            return;
        }
        diff(current.services(), next.services(), services);
        diff(current.endpointSlices(), next.endpointSlices(), slices);
        diff(current.nodes(), next.nodes(), nodes);
        current = next;
    }

    static <T extends HasMetadata> void diff(List<T> before, List<T> after, ObjectHandler<T> handler) {
        Map<String, T> old = byKey(before);
        Map<String, T> cur = byKey(after);
        old.forEach((k, o) -> {
            if (!cur.containsKey(k)) {
                handler.onDelete(o);
            }
        });
        cur.forEach((k, c) -> {
            T o = old.get(k);
            if (o == null) {
                handler.onAdd(c);
            } else if (!o.equals(c)) {
                handler.onUpdate(o, c);
            }
        });
    }

    private static <T extends HasMetadata> Map<String, T> byKey(List<T> objs) {
        Map<String, T> m = new LinkedHashMap<>();
        objs.forEach(o -> m.put(Manifests.key(o), o));
        return m;
    }

    @Override
    public void close() {
        WatchService w = watcher;
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing a watch service only releases inotify handles
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
