package dev.turnout.proxy.tracker;

import dev.turnout.model.Endpoint;
import dev.turnout.model.ServicePortName;

/** A UDP endpoint that was serving a service port and no longer is (upstream's ServiceEndpoint). */
public record StaleEndpoint(ServicePortName servicePort, Endpoint endpoint) {
}
