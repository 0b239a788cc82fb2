package dev.turnout.model.manifest;

import dev.turnout.model.Ips;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks kube-apiserver makes on the fields a proxy reads. Messages follow the apiserver's
 * {@code field: Reason: value: detail} shape. IP lists such as externalIPs are not checked here:
 * kube-proxy skips invalid entries itself, and so do we.
 */
final class ObjectValidator {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

    private ObjectValidator() {
    }

    static List<String> validate(HasMetadata obj) {
        List<String> p = new ArrayList<>();
        String name = obj.getMetadata() == null ? null : obj.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            p.add("metadata.name: Required value: name is required");
        } else if (obj instanceof Service) {
            dns(p, "metadata.name", name, DNS1035_LABEL, 63, "a DNS-1035 label");
        } else {
            dns(p, "metadata.name", name, DNS1123_SUBDOMAIN, 253, "a lowercase RFC 1123 subdomain");
        }
        String ns = obj.getMetadata() == null ? null : obj.getMetadata().getNamespace();
        if (ns != null && !ns.isEmpty() && !(obj instanceof Node)) {
            dns(p, "metadata.namespace", ns, DNS1123_LABEL, 63, "a lowercase RFC 1123 label");
        }
        if (obj instanceof Service s) {
            service(s.getSpec(), p);
        } else if (obj instanceof EndpointSlice e) {
            slice(e, p);
        }
        return p;
    }

    private static void service(ServiceSpec spec, List<String> p) {
        if (spec == null) {
            p.add("spec: Required value");
            return;
        }
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        oneOf(p, "spec.type", type, List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"));
        boolean externalName = "ExternalName".equals(type);
        if (!externalName && spec.getPorts().isEmpty()) {
            p.add("spec.ports: Required value");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.getPorts().size(); i++) {
            var port = spec.getPorts().get(i);
            String f = "spec.ports[" + i + "]";
            if (spec.getPorts().size() > 1 && (port.getName() == null || port.getName().isEmpty())) {
                p.add(f + ".name: Required value: names are required when a Service has more than one port");
            } else if (port.getName() != null && !port.getName().isEmpty()) {
                dns(p, f + ".name", port.getName(), DNS1123_LABEL, 63, "a lowercase RFC 1123 label");
                if (!names.add(port.getName())) {
                    p.add(f + ".name: Duplicate value: \"" + port.getName() + "\"");
                }
            }
            portNumber(p, f + ".port", port.getPort(), true);
            if (port.getNodePort() != null && port.getNodePort() != 0) {
                portNumber(p, f + ".nodePort", port.getNodePort(), true);
            }
            if (port.getProtocol() != null) {
                oneOf(p, f + ".protocol", port.getProtocol(), List.of("TCP", "UDP", "SCTP"));
            }
            targetPort(p, f + ".targetPort", port.getTargetPort());
        }
        String clusterIp = spec.getClusterIP();
        if (clusterIp != null && !clusterIp.isEmpty() && !"None".equals(clusterIp) && !Ips.isValid(clusterIp)) {
            p.add("spec.clusterIP: Invalid value: \"" + clusterIp + "\": must be empty, 'None', or a valid IP address");
        }
        for (int i = 0; spec.getClusterIPs() != null && i < spec.getClusterIPs().size(); i++) {
            String ip = spec.getClusterIPs().get(i);
            if (!"None".equals(ip) && !Ips.isValid(ip)) {
                p.add("spec.clusterIPs[" + i + "]: Invalid value: \"" + ip + "\": must be a valid IP address");
            }
        }
        if (spec.getExternalTrafficPolicy() != null && !spec.getExternalTrafficPolicy().isEmpty()) {
            oneOf(p, "spec.externalTrafficPolicy", spec.getExternalTrafficPolicy(), List.of("Cluster", "Local"));
        }
        if (spec.getInternalTrafficPolicy() != null && !spec.getInternalTrafficPolicy().isEmpty()) {
            oneOf(p, "spec.internalTrafficPolicy", spec.getInternalTrafficPolicy(), List.of("Cluster", "Local"));
        }
        if (spec.getSessionAffinity() != null && !spec.getSessionAffinity().isEmpty()) {
            oneOf(p, "spec.sessionAffinity", spec.getSessionAffinity(), List.of("None", "ClientIP"));
        }
        var cfg = spec.getSessionAffinityConfig();
        if (cfg != null && cfg.getClientIP() != null && cfg.getClientIP().getTimeoutSeconds() != null) {
            int t = cfg.getClientIP().getTimeoutSeconds();
            if (t <= 0 || t > 86400) {
                p.add("spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: " + t
                        + ": must be greater than 0 and less than 86400");
            }
        }
        if (spec.getHealthCheckNodePort() != null && spec.getHealthCheckNodePort() != 0) {
            portNumber(p, "spec.healthCheckNodePort", spec.getHealthCheckNodePort(), true);
        }
    }

    private static void slice(EndpointSlice e, List<String> p) {
        String type = e.getAddressType();
        if (type == null || type.isEmpty()) {
            p.add("addressType: Required value");
        } else {
            oneOf(p, "addressType", type, List.of("IPv4", "IPv6", "FQDN"));
        }
        for (int i = 0; e.getEndpoints() != null && i < e.getEndpoints().size(); i++) {
            var ep = e.getEndpoints().get(i);
            String f = "endpoints[" + i + "].addresses";
            if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
                p.add(f + ": Required value: must contain at least 1 address");
            } else if (ep.getAddresses().size() > 100) {
                p.add(f + ": Too many: " + ep.getAddresses().size() + ": must have at most 100 items");
            }
        }
        for (int i = 0; e.getPorts() != null && i < e.getPorts().size(); i++) {
            var port = e.getPorts().get(i);
            String f = "ports[" + i + "]";
            if (port.getPort() != null) {
                portNumber(p, f + ".port", port.getPort(), false);
            }
            if (port.getProtocol() != null) {
                oneOf(p, f + ".protocol", port.getProtocol(), List.of("TCP", "UDP", "SCTP"));
            }
        }
    }

    private static void targetPort(List<String> p, String field, IntOrString v) {
        if (v == null) {
            return;
        }
        if (v.getIntVal() != null) {
            portNumber(p, field, v.getIntVal(), true);
        } else if (v.getStrVal() != null && !v.getStrVal().isEmpty()
                && (!IANA_SVC_NAME.matcher(v.getStrVal()).matches() || !v.getStrVal().matches(".*[a-z].*"))) {
            p.add(field + ": Invalid value: \"" + v.getStrVal()
                    + "\": must be a port number (1-65535) or an IANA service name (at most 15 lowercase letters, digits and '-', with a letter)");
        }
    }

    private static void portNumber(List<String> p, String field, Integer v, boolean required) {
        if (v == null) {
            if (required) {
                p.add(field + ": Required value");
            }
            return;
        }
        if (v < 1 || v > 65535) {
            p.add(field + ": Invalid value: " + v + ": must be between 1 and 65535, inclusive");
        }
    }

    private static void oneOf(List<String> p, String field, String v, List<String> allowed) {
        if (!allowed.contains(v)) {
            StringBuilder sb = new StringBuilder();
            for (String a : allowed) {
                sb.append(sb.length() == 0 ? "" : ", ").append('"').append(a).append('"');
            }
            p.add(field + ": Unsupported value: \"" + v + "\": supported values: " + sb);
        }
    }

    private static void dns(List<String> p, String field, String v, Pattern re, int max, String what) {
        if (v.length() > max) {
            p.add(field + ": Invalid value: \"" + v + "\": must be no more than " + max + " characters");
        } else if (!re.matcher(v).matches()) {
            p.add(field + ": Invalid value: \"" + v + "\": must be " + what
                    + " (lowercase letters, digits and '-', starting and ending with an alphanumeric character)");
        }
    }
}
