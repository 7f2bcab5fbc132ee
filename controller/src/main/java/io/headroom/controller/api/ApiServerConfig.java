package io.headroom.controller.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP API server.
 *
 * @param bindHost address to listen on
 * @param port TCP port; 0 picks a free one (read it back from {@link ApiServer#localAddress()})
 * @param requestTimeout how long a connection may take to deliver one complete request, counted
 *     from the connection opening or from the last response; a slow or silent client is closed
 *     (slowloris)
 * @param maxRequestBytes largest request body; larger is answered 413
 * @param maxConnections connections open at once; a further one is closed as soon as it is accepted
 *     and counted, so idle connections cannot use up the process's file descriptors
 * @param security users, sessions, write checks, audit log and TLS
 */
public record ApiServerConfig(
        String bindHost,
        int port,
        Duration requestTimeout,
        int maxRequestBytes,
        int maxConnections,
        ApiSecurity security) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public ApiServerConfig {
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost: must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " is outside 0..65535");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: must be positive");
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " is below 1024");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " is below 1");
        }
        Objects.requireNonNull(security, "security");
    }

    /** Default timeout, size limit and connection cap. */
    public static ApiServerConfig defaults(String bindHost, int port, ApiSecurity security) {
        return new ApiServerConfig(
                bindHost, port, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CONNECTIONS, security);
    }
}
