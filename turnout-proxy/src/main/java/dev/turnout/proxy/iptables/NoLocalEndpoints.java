package dev.turnout.proxy.iptables;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePort;
import dev.turnout.proxy.ProxyState;
import java.util.List;

/**
 * Counts service ports with a Local traffic policy that have endpoints somewhere but none here, for
 * {@code kubeproxy_sync_proxy_rules_no_local_endpoints_total{traffic_policy}}. Follows upstream's
 * CategorizeEndpoints without topology: ready endpoints are used, and only when none is ready the
 * serving-and-terminating ones.
 */
public final class NoLocalEndpoints {
    private NoLocalEndpoints() {
    }

    /** {internal, external}. */
    public static int[] count(ProxyState state) {
        int internal = 0;
        int external = 0;
        for (var e : state.services().entrySet()) {
            ServicePort p = e.getValue();
            List<Endpoint> eps = state.endpointsOf(e.getKey());
            if (!hasUsable(eps, false)) {
                continue;
            }
            boolean hasLocal = hasUsable(eps, true);
            if (p.internalPolicyLocal() && !hasLocal) {
                internal++;
            }
            if (p.externallyAccessible() && p.externalPolicyLocal() && !hasLocal) {
                external++;
            }
        }
        return new int[] {internal, external};
    }

    private static boolean hasUsable(List<Endpoint> eps, boolean localOnly) {
        boolean anyReady = false;
        boolean anyServingTerminating = false;
        for (Endpoint ep : eps) {
            if (localOnly && !ep.local()) {
                continue;
            }
            anyReady |= ep.ready();
            anyServingTerminating |= ep.serving() && ep.terminating();
        }
        return anyReady || anyServingTerminating;
    }
}
