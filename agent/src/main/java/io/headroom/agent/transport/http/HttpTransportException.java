package io.headroom.agent.transport.http;

import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP exchange gave no usable answer. The reason is a short machine-readable code that a driver
 * can pass on as a device's OFFLINE/DEGRADED reason unchanged; the message names the URL and what
 * was wrong.
 */
public final class HttpTransportException extends Exception {

    private static final long serialVersionUID = 1L;

    /** No complete answer (connect, headers and body) within the request's deadline. */
    public static final String TIMEOUT = "timeout";
    /** Nothing listens on the port. */
    public static final String CONNECTION_REFUSED = "connection-refused";
    /** The host name does not resolve. */
    public static final String UNKNOWN_HOST = "unknown-host";
    /** The TLS handshake failed: an untrusted or mismatching certificate, no common protocol. */
    public static final String TLS = "tls";
    /** The body was larger than the cap. */
    public static final String OVERSIZE = "oversize";
    /** The body is not what was asked for (not JSON, not an object). */
    public static final String GARBAGE = "garbage";
    /** Any other I/O failure (reset, unreachable). */
    public static final String IO_ERROR = "io-error";
    /** The transport was closed while the request ran, or before. */
    public static final String CLOSED = "closed";

    private final String reason;
    private final int status;
    private final String body;
    private final transient HttpHeaders headers;

    /** A failure without an HTTP status. */
    public HttpTransportException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = 0;
        this.body = "";
        this.headers = NO_HEADERS;
    }

    /** A failure without an HTTP status or a cause. */
    public HttpTransportException(String reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = 0;
        this.body = "";
        this.headers = NO_HEADERS;
    }

    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(java.util.Map.of(), (name, value) -> true);

    private HttpTransportException(int status, String message, String body, HttpHeaders headers) {
        super(message);
        this.reason = "http-" + status;
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    /**
     * The server answered with a status outside 2xx: reason {@code http-<status>} ({@code http-401},
     * {@code http-404} …), the body kept so that a driver can quote the device's own words.
     */
    public static HttpTransportException status(int status, String message, String body) {
        return new HttpTransportException(status, message, Objects.requireNonNull(body, "body"), NO_HEADERS);
    }

    /**
     * As {@link #status(int, String, String)}, keeping the answer's headers: a driver doing HTTP Digest
     * authentication needs the {@code WWW-Authenticate} challenge of a 401.
     */
    public static HttpTransportException status(int status, String message, String body, HttpHeaders headers) {
        return new HttpTransportException(
                status, message, Objects.requireNonNull(body, "body"), Objects.requireNonNull(headers, "headers"));
    }

    /** A header of an {@code http-*} failure's answer (names are case-insensitive); empty for the others. */
    public Optional<String> header(String name) {
        return headers == null ? Optional.empty() : headers.firstValue(name);
    }

    /** Machine-readable reason: one of the constants, or {@code http-<status>}. */
    public String reason() {
        return reason;
    }

    /** The HTTP status of an {@code http-*} failure; 0 for the others. */
    public int status() {
        return status;
    }

    /** The body of an {@code http-*} failure (at most the transport's cap); empty for the others. */
    public String body() {
        return body;
    }

    /**
     * True for failures of the connection itself (timeout, refused, unknown host, TLS, I/O), after which
     * further requests to the same server will likely fail too.
     */
    public boolean isConnection() {
        return reason.equals(TIMEOUT)
                || reason.equals(CONNECTION_REFUSED)
                || reason.equals(UNKNOWN_HOST)
                || reason.equals(TLS)
                || reason.equals(IO_ERROR);
    }
}
