package dev.turnout.proxy.tracker;

import static dev.turnout.proxy.testing.Fixtures.endpoint;
import static dev.turnout.proxy.testing.Fixtures.nodePortService;
import static dev.turnout.proxy.testing.Fixtures.ready;
import static dev.turnout.proxy.testing.Fixtures.service;
import static dev.turnout.proxy.testing.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnout.model.Endpoint;
import dev.turnout.model.IpFamily;
import dev.turnout.model.Protocol;
import dev.turnout.model.ServicePort;
import dev.turnout.model.ServicePortName;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeTrackersTest {
    private static final ServicePortName DNS = new ServicePortName("kube-system", "dns", "p", Protocol.UDP);

    private final Map<ServicePortName, ServicePort> services = new HashMap<>();
    private final Map<ServicePortName, List<Endpoint>> endpoints = new HashMap<>();
    private final AtomicInteger seen = new AtomicInteger();
    private final ChangeListener counting = new ChangeListener() {
        @Override
        public void changeSeen() {
            seen.incrementAndGet();
        }
    };
    private final ServiceChangeTracker svcTracker = new ServiceChangeTracker(IpFamily.IPv4, counting);
    private final EndpointsChangeTracker epTracker = new EndpointsChangeTracker(IpFamily.IPv4, "me", counting);

    @Test
    void anAddedServiceIsUpdatedAndItsPortsAppear() {
        assertThat(svcTracker.update(null, service("kube-system", "dns", "10.96.0.10", 53, "UDP"))).isTrue();
        ServiceUpdateResult r = svcTracker.applyTo(services);
        assertThat(r.updatedServices()).containsExactly("kube-system/dns");
        assertThat(services).containsOnlyKeys(DNS);
        assertThat(r.staleUdpServiceIps()).isEmpty();
        assertThat(seen.get()).isEqualTo(1);
    }

    @Test
    void anAddThenDeleteBeforeASyncCancelsOut() {
        Service s = service("ns", "a", "10.96.0.1", 80, "TCP");
        svcTracker.update(null, s);
        assertThat(svcTracker.update(s, null)).isFalse();
        assertThat(svcTracker.applyTo(services).updatedServices()).isEmpty();
    }

    @Test
    void anUpdateThatChangesNothingTheProxySeesIsNotAChange() {
        Service s = service("ns", "a", "10.96.0.1", 80, "TCP");
        svcTracker.update(null, s);
        svcTracker.applyTo(services);
        Service relabelled = new ServiceBuilder(s).editMetadata().addToLabels("x", "y").endMetadata().build();
        assertThat(svcTracker.update(s, relabelled)).isFalse();
    }

    @Test
    void aDeletedUdpServiceLeavesItsIpsAndNodePortStale() {
        Service s = nodePortService("kube-system", "dns", "10.96.0.10", 53, "UDP", 30053);
        svcTracker.update(null, s);
        svcTracker.applyTo(services);
        svcTracker.update(s, null);
        ServiceUpdateResult r = svcTracker.applyTo(services);
        assertThat(services).isEmpty();
        assertThat(r.staleUdpServiceIps()).containsExactly("10.96.0.10");
        assertThat(r.staleUdpNodePorts()).containsExactly(30053);
    }

    @Test
    void aDeletedTcpServiceLeavesNothingStale() {
        Service s = service("ns", "web", "10.96.0.20", 80, "TCP");
        svcTracker.update(null, s);
        svcTracker.applyTo(services);
        svcTracker.update(s, null);
        assertThat(svcTracker.applyTo(services).staleUdpServiceIps()).isEmpty();
    }

    @Test
    void endpointsOfANewSliceAppearAndANewlyServingUdpPortIsActive() {
        assertThat(epTracker.update(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.1.5"))), false))
                .isTrue();
        EndpointsUpdateResult r = epTracker.applyTo(endpoints);
        assertThat(r.updatedServices()).containsExactly("kube-system/dns");
        assertThat(endpoints.get(DNS)).extracting(Endpoint::toString).containsExactly("10.244.1.5:53");
        assertThat(r.newlyActiveUdpServices()).containsExactly(DNS);
        assertThat(r.staleUdpEndpoints()).isEmpty();
    }

    @Test
    void aRemovedUdpEndpointIsStale() {
        epTracker.update(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.1.5"), ready("10.244.2.6"))), false);
        epTracker.applyTo(endpoints);
        epTracker.update(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.2.6"))), false);
        EndpointsUpdateResult r = epTracker.applyTo(endpoints);
        assertThat(r.staleUdpEndpoints()).extracting(e -> e.endpoint().toString()).containsExactly("10.244.1.5:53");
        assertThat(r.newlyActiveUdpServices()).isEmpty();
    }

    @Test
    void aUdpEndpointThatStopsServingIsStale() {
        epTracker.update(slice("kube-system", "dns", "dns-1", 53, "UDP", List.of(ready("10.244.1.5"))), false);
        epTracker.applyTo(endpoints);
        epTracker.update(slice("kube-system", "dns", "dns-1", 53, "UDP",
                List.of(endpoint("10.244.1.5", false, false, true, "other"))), false);
        EndpointsUpdateResult r = epTracker.applyTo(endpoints);
        assertThat(r.staleUdpEndpoints()).extracting(e -> e.endpoint().ip()).containsExactly("10.244.1.5");
    }

    @Test
    void aDeletedSliceRemovesItsEndpoints() {
        EndpointSlice s = slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5")));
        epTracker.update(s, false);
        epTracker.applyTo(endpoints);
        assertThat(epTracker.update(s, true)).isTrue();
        EndpointsUpdateResult r = epTracker.applyTo(endpoints);
        assertThat(r.updatedServices()).containsExactly("ns/web");
        assertThat(endpoints).isEmpty();
    }

    @Test
    void deletingAnUnknownSliceIsNoChange() {
        assertThat(epTracker.update(slice("ns", "web", "web-1", 80, "TCP", List.of()), true)).isFalse();
    }

    @Test
    void aSliceUpdateThatOnlyTouchesMetadataIsNoChange() {
        EndpointSlice s = slice("ns", "web", "web-1", 80, "TCP", List.of(ready("10.244.1.5")));
        epTracker.update(s, false);
        epTracker.applyTo(endpoints);
        EndpointSlice bumped = new EndpointSliceBuilder(s).editMetadata().withResourceVersion("42").endMetadata().build();
        assertThat(epTracker.update(bumped, false)).isFalse();
    }

    @Test
    void slicesOfTheOtherFamilyAreIgnored() {
        EndpointSlice v6 = new EndpointSliceBuilder(slice("ns", "web", "web-1", 80, "TCP", List.of()))
                .withAddressType("IPv6").build();
        assertThat(epTracker.update(v6, false)).isFalse();
    }

    @Test
    void localReadyEndpointsCountDistinctIpsOfThisNode() {
        epTracker.update(slice("ns", "web", "web-1", 80, "TCP", List.of(
                endpoint("10.244.1.5", true, true, false, "me"),
                endpoint("10.244.1.6", false, true, true, "me"),
                endpoint("10.244.2.7", true, true, false, "other"))), false);
        epTracker.applyTo(endpoints);
        assertThat(ProxyMaps.localReadyEndpoints(endpoints)).containsExactly(Map.entry("ns/web", 1));
    }
}
