package dev.turnout.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSourceTest {
    @TempDir
    Path dir;

    private static String service(String name, int port) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  clusterIP: 10.96.0.9\n  ports: [{port: "
                + port + "}]\n";
    }

    /** Records events as "kind:verb:name" lines. */
    static class Recorder<T extends HasMetadata> implements ObjectHandler<T> {
        final LinkedBlockingQueue<String> events;

        Recorder(LinkedBlockingQueue<String> events) {
            this.events = events;
        }

        @Override
        public void onAdd(T o) {
            events.add("add:" + o.getMetadata().getName());
        }

        @Override
        public void onUpdate(T old, T cur) {
            events.add("update:" + cur.getMetadata().getName());
        }

        @Override
        public void onDelete(T o) {
            events.add("delete:" + o.getMetadata().getName());
        }

        @Override
        public void onSynced() {
            events.add("synced");
        }
    }

    @Test
    void deliversInitialObjectsThenFollowsChangesAndKeepsLastGoodSetOnErrors() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), service("a", 80));
        Files.writeString(dir.resolve("b.yaml"), service("b", 80));
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        try (ManifestSource source = new ManifestSource(dir, errors::add)) {
            source.start(new Recorder<Service>(events), new Recorder<EndpointSlice>(events), new Recorder<Node>(events));
            assertThat(take(events, 5)).containsExactly("add:a", "add:b", "synced", "synced", "synced");

            Files.writeString(dir.resolve("a.yaml"), service("a", 81));
            Files.delete(dir.resolve("b.yaml"));
            Files.writeString(dir.resolve("c.yaml"), service("c", 80));
            assertThat(take(events, 3)).containsExactlyInAnyOrder("update:a", "delete:b", "add:c");

            Files.writeString(dir.resolve("a.yaml"), service("a", 99999));
            awaitError(errors);
            assertThat(errors.get(0)).contains("not reloaded", "spec.ports[0].port");
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void anEditMadeWhileTheFirstSetIsDeliveredIsNotLost() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), service("a", 80));
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        // The consumer reacts to "synced" at once (a proxy syncs its rules there); an edit that
        // lands in that moment must still be seen.
        Recorder<Service> services = new Recorder<>(events) {
            @Override
            public void onSynced() {
                super.onSynced();
                try {
                    Files.writeString(dir.resolve("b.yaml"), service("b", 80));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (ManifestSource source = new ManifestSource(dir, e -> { })) {
            source.start(services, new Recorder<EndpointSlice>(events), new Recorder<Node>(events));
            assertThat(take(events, 5)).containsExactly("add:a", "synced", "synced", "synced", "add:b");
        }
    }

    private static List<String> take(LinkedBlockingQueue<String> q, int n) throws InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = q.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", i + 1, n, out).isNotNull();
            out.add(e);
        }
        return out;
    }

    private static void awaitError(List<String> errors) throws InterruptedException {
        for (int i = 0; i < 100 && errors.isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(errors).isNotEmpty();
    }
}
