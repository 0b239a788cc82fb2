package dev.turnout.model;

/** Session affinity of a Service port: none, or ClientIP with a timeout in seconds. */
public record SessionAffinity(boolean clientIp, int timeoutSeconds) {
    /** The API server's default for ClientIP affinity: three hours. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 10800;
    public static final SessionAffinity NONE = new SessionAffinity(false, 0);

    public static SessionAffinity clientIp(int timeoutSeconds) {
        return new SessionAffinity(true, timeoutSeconds);
    }
}
