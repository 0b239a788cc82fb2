package dev.turnout.model;

import java.util.List;
import java.util.Objects;

/**
 * What a proxy needs to know about one port of one Service in one IP family; the immutable twin of
 * kube-proxy's {@code BaseServicePortInfo}. IP lists hold only valid addresses of the family.
 *
 * @param clusterIp the Service's cluster IP in this family
 * @param nodePort 0 when the Service has none
 * @param healthCheckNodePort 0 when the Service has none
 * @param trafficDistribution {@code spec.trafficDistribution}, or null
 * @param topologyAnnotation the {@code service.kubernetes.io/topology-mode} (or the older hints)
 *     annotation, or null
 */
public record ServicePort(
        ServicePortName name,
        String clusterIp,
        int port,
        Protocol protocol,
        int nodePort,
        List<String> externalIps,
        List<String> loadBalancerVips,
        List<String> loadBalancerSourceRanges,
        SessionAffinity sessionAffinity,
        int healthCheckNodePort,
        boolean externalPolicyLocal,
        boolean internalPolicyLocal,
        String trafficDistribution,
        String topologyAnnotation) {

    public ServicePort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        externalIps = List.copyOf(externalIps);
        loadBalancerVips = List.copyOf(loadBalancerVips);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
        sessionAffinity = sessionAffinity == null ? SessionAffinity.NONE : sessionAffinity;
    }

    /** Reachable from outside the cluster: by NodePort, a load balancer IP or an external IP. */
    public boolean externallyAccessible() {
        return nodePort != 0 || !loadBalancerVips.isEmpty() || !externalIps.isEmpty();
    }

    /**
     * Some traffic to this port may go to endpoints on any node. As upstream's
     * {@code UsesClusterEndpoints}: any externally reachable port needs them, even with
     * externalTrafficPolicy Local, for the short circuit of pod and node traffic to external IPs.
     */
    public boolean usesClusterEndpoints() {
        return !internalPolicyLocal || externallyAccessible();
    }

    /** Some traffic to this port must go only to endpoints on this node. */
    public boolean usesLocalEndpoints() {
        return internalPolicyLocal || (externallyAccessible() && externalPolicyLocal);
    }

    /** A copy with one field changed, for tests and fixtures. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(ServicePortName name) {
        return new Builder(name);
    }

    /** Builds a ServicePort field by field; defaults are those of a plain ClusterIP Service. */
    public static final class Builder {
        private ServicePortName name;
        private String clusterIp;
        private int port;
        private Protocol protocol;
        private int nodePort;
        private List<String> externalIps = List.of();
        private List<String> loadBalancerVips = List.of();
        private List<String> loadBalancerSourceRanges = List.of();
        private SessionAffinity sessionAffinity = SessionAffinity.NONE;
        private int healthCheckNodePort;
        private boolean externalPolicyLocal;
        private boolean internalPolicyLocal;
        private String trafficDistribution;
        private String topologyAnnotation;

        private Builder(ServicePortName name) {
            this.name = name;
            this.protocol = name.protocol();
        }

        private Builder(ServicePort p) {
            name = p.name;
            clusterIp = p.clusterIp;
            port = p.port;
            protocol = p.protocol;
            nodePort = p.nodePort;
            externalIps = p.externalIps;
            loadBalancerVips = p.loadBalancerVips;
            loadBalancerSourceRanges = p.loadBalancerSourceRanges;
            sessionAffinity = p.sessionAffinity;
            healthCheckNodePort = p.healthCheckNodePort;
            externalPolicyLocal = p.externalPolicyLocal;
            internalPolicyLocal = p.internalPolicyLocal;
            trafficDistribution = p.trafficDistribution;
            topologyAnnotation = p.topologyAnnotation;
        }

        public Builder clusterIp(String v) { clusterIp = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder protocol(Protocol v) { protocol = v; return this; }
        public Builder nodePort(int v) { nodePort = v; return this; }
        public Builder externalIps(List<String> v) { externalIps = v; return this; }
        public Builder loadBalancerVips(List<String> v) { loadBalancerVips = v; return this; }
        public Builder loadBalancerSourceRanges(List<String> v) { loadBalancerSourceRanges = v; return this; }
        public Builder sessionAffinity(SessionAffinity v) { sessionAffinity = v; return this; }
        public Builder healthCheckNodePort(int v) { healthCheckNodePort = v; return this; }
        public Builder externalPolicyLocal(boolean v) { externalPolicyLocal = v; return this; }
        public Builder internalPolicyLocal(boolean v) { internalPolicyLocal = v; return this; }
        public Builder trafficDistribution(String v) { trafficDistribution = v; return this; }
        public Builder topologyAnnotation(String v) { topologyAnnotation = v; return this; }

        public ServicePort build() {
            return new ServicePort(name, clusterIp, port, protocol, nodePort, externalIps, loadBalancerVips,
                    loadBalancerSourceRanges, sessionAffinity, healthCheckNodePort, externalPolicyLocal,
                    internalPolicyLocal, trafficDistribution, topologyAnnotation);
        }
    }
}
