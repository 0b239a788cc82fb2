package dev.turnout.model;

import java.util.List;
import java.util.Map;

/** What a proxy reads of its own Node: name, labels (the zone among them) and addresses. */
public record NodeInfo(String name, Map<String, String> labels, List<String> addresses) {
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    public NodeInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public String zone() {
        return labels.get(ZONE_LABEL);
    }
}
