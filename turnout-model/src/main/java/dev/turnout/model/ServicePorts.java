package dev.turnout.model;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Service into the ports a proxy programs, as kube-proxy's {@code serviceToServiceMap} and
 * {@code newBaseServiceInfo} do: headless and ExternalName Services have none; addresses of the
 * other family and invalid ones are skipped rather than rejected.
 */
public final class ServicePorts {
    static final String TOPOLOGY_AWARE_HINTS = "service.kubernetes.io/topology-aware-hints";
    static final String TOPOLOGY_MODE = "service.kubernetes.io/topology-mode";

    private ServicePorts() {
    }

    /** The ports of {@code svc} in {@code family}, keyed by name, in spec order. */
    public static Map<ServicePortName, ServicePort> of(Service svc, IpFamily family) {
        Map<ServicePortName, ServicePort> out = new LinkedHashMap<>();
        ServiceSpec spec = svc.getSpec();
        if (spec == null || "ExternalName".equals(spec.getType())) {
            return out;
        }
        String clusterIp = clusterIpOf(spec, family);
        if (clusterIp == null) {
            return out;
        }
        String ns = namespaceOf(svc);
        String name = svc.getMetadata().getName();
        for (var p : spec.getPorts()) {
            ServicePortName spn = new ServicePortName(ns, name, p.getName(), Protocol.parse(p.getProtocol()));
            out.put(spn, portOf(svc, spec, spn, clusterIp, p, family));
        }
        return out;
    }

    private static ServicePort portOf(Service svc, ServiceSpec spec, ServicePortName spn, String clusterIp,
            io.fabric8.kubernetes.api.model.ServicePort p, IpFamily family) {
        boolean externalLocal = externalPolicyLocal(spec);
        int healthCheckNodePort = 0;
        if ("LoadBalancer".equals(spec.getType()) && externalLocal && spec.getHealthCheckNodePort() != null) {
            healthCheckNodePort = spec.getHealthCheckNodePort();
        }
        return ServicePort.builder(spn)
                .clusterIp(clusterIp)
                .port(p.getPort() == null ? 0 : p.getPort())
                .nodePort(p.getNodePort() == null ? 0 : p.getNodePort())
                .externalIps(ipsOfFamily(spec.getExternalIPs(), family))
                .loadBalancerVips(loadBalancerVips(svc, family))
                .loadBalancerSourceRanges(cidrsOfFamily(spec.getLoadBalancerSourceRanges(), family))
                .sessionAffinity(affinityOf(spec))
                .healthCheckNodePort(healthCheckNodePort)
                .externalPolicyLocal(externalLocal)
                .internalPolicyLocal("Local".equals(spec.getInternalTrafficPolicy()))
                .trafficDistribution(spec.getTrafficDistribution())
                .topologyAnnotation(topologyAnnotation(svc))
                .build();
    }

    /** The cluster IP of the family, or null for headless Services and those without one. */
    static String clusterIpOf(ServiceSpec spec, IpFamily family) {
        List<String> ips = spec.getClusterIPs();
        if (ips == null || ips.isEmpty()) {
            ips = spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
        }
        for (String ip : ips) {
            if (ip == null || ip.isEmpty() || "None".equals(ip)) {
                return null;
            }
            if (family.owns(ip)) {
                return Ips.canonical(ip);
            }
        }
        return null;
    }

    /** Externally reachable Services (also ClusterIP ones with external IPs) honour eTP Local. */
    static boolean externalPolicyLocal(ServiceSpec spec) {
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        boolean external = "LoadBalancer".equals(type) || "NodePort".equals(type)
                || ("ClusterIP".equals(type) && spec.getExternalIPs() != null && !spec.getExternalIPs().isEmpty());
        return external && "Local".equals(spec.getExternalTrafficPolicy());
    }

    private static SessionAffinity affinityOf(ServiceSpec spec) {
        if (!"ClientIP".equals(spec.getSessionAffinity())) {
            return SessionAffinity.NONE;
        }
        var cfg = spec.getSessionAffinityConfig();
        Integer t = cfg == null || cfg.getClientIP() == null ? null : cfg.getClientIP().getTimeoutSeconds();
        return SessionAffinity.clientIp(t == null ? SessionAffinity.DEFAULT_TIMEOUT_SECONDS : t);
    }

    private static List<String> loadBalancerVips(Service svc, IpFamily family) {
        List<String> out = new ArrayList<>();
        if (svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null) {
            return out;
        }
        List<LoadBalancerIngress> ingress = svc.getStatus().getLoadBalancer().getIngress();
        if (ingress == null) {
            return out;
        }
        for (LoadBalancerIngress ing : ingress) {
            // "Proxy" mode load balancers deliver to the node themselves; kube-proxy programs only VIP mode.
            if (ing.getIp() == null || ing.getIp().isEmpty() || "Proxy".equals(ing.getIpMode())) {
                continue;
            }
            String ip = Ips.canonical(ing.getIp().trim());
            if (ip != null && family.owns(ip)) {
                out.add(ip);
            }
        }
        return out;
    }

    static List<String> ipsOfFamily(List<String> ips, IpFamily family) {
        List<String> out = new ArrayList<>();
        if (ips != null) {
            for (String raw : ips) {
                String ip = raw == null ? null : Ips.canonical(raw.trim());
                if (ip != null && family.owns(ip)) {
                    out.add(ip);
                }
            }
        }
        return out;
    }

    static List<String> cidrsOfFamily(List<String> cidrs, IpFamily family) {
        List<String> out = new ArrayList<>();
        if (cidrs != null) {
            for (String raw : cidrs) {
                Cidr c = raw == null ? null : Cidr.tryParse(raw.trim());
                if (c != null && c.family() == family) {
                    out.add(c.toString());
                }
            }
        }
        return out;
    }

    private static String topologyAnnotation(Service svc) {
        Map<String, String> a = svc.getMetadata().getAnnotations();
        if (a == null) {
            return null;
        }
        // The deprecated annotation wins over the newer one, as in kube-proxy.
        return a.containsKey(TOPOLOGY_AWARE_HINTS) ? a.get(TOPOLOGY_AWARE_HINTS) : a.get(TOPOLOGY_MODE);
    }

    static String namespaceOf(io.fabric8.kubernetes.api.model.HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }
}
