package dev.turnout.dns.source;

import dev.turnout.model.source.ClusterSource;
import dev.turnout.model.source.ObjectHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Services and EndpointSlices from an API server, through fabric8 informers (list, then watch,
 * relisting after a lost watch), all namespaces. Starting does not wait for the API server: the
 * synced signal of each kind comes when its informer has listed, so until then the DNS server
 * answers SERVFAIL where it would say NXDOMAIN. Nodes are not watched (DNS does not need them).
 */
public final class InformerSource implements ClusterSource {
    private final KubernetesClient client;
    private final Consumer<String> errors;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    public InformerSource(KubernetesClient client, Consumer<String> errors) {
        this.client = client;
        this.errors = errors;
    }

    /** A client for the kubeconfig file's current context. */
    public static InformerSource fromKubeconfig(Path kubeconfig, Consumer<String> errors) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        return new InformerSource(client, errors);
    }

    @Override
    public void start(ObjectHandler<Service> services, ObjectHandler<EndpointSlice> slices, ObjectHandler<Node> nodes) {
        SharedIndexInformer<Service> si = client.services().inAnyNamespace().runnableInformer(0);
        si.addEventHandler(adapter(services));
        SharedIndexInformer<EndpointSlice> ei = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        ei.addEventHandler(adapter(slices));
        informers.add(si);
        informers.add(ei);
        si.start().whenComplete((v, e) -> synced("services", services, e));
        ei.start().whenComplete((v, e) -> synced("endpointslices", slices, e));
        nodes.onSynced();
    }

    private void synced(String kind, ObjectHandler<?> handler, Throwable e) {
        if (e != null) {
            errors.accept(kind + " informer failed to start: " + e.getMessage());
            return;
        }
        handler.onSynced();
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> adapter(ObjectHandler<T> h) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                h.onAdd(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                h.onUpdate(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                h.onDelete(obj);
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        client.close();
    }
}
