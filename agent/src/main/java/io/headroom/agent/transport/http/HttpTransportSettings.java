package io.headroom.agent.transport.http;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link HttpTransport} talks to its server.
 *
 * @param caFile PEM file with the CA certificate(s) the server's certificate must chain to; empty
 *     means the JDK's default trust store. Verification (chain and host name) is never switched off.
 * @param maxBodyBytes the largest response body accepted; a larger one fails with
 *     {@link HttpTransportException#OVERSIZE} without being held in memory
 */
public record HttpTransportSettings(Optional<Path> caFile, int maxBodyBytes) {

    /** 1 MiB: a Redfish resource or a miner's status document is a few kB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public HttpTransportSettings {
        Objects.requireNonNull(caFile, "caFile");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes: must be positive, got " + maxBodyBytes);
        }
    }

    /** The JDK's trust store and a 1 MiB body cap. */
    public static HttpTransportSettings defaults() {
        return new HttpTransportSettings(Optional.empty(), DEFAULT_MAX_BODY_BYTES);
    }
}
