package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.agent.transport.http.HttpReply;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.agent.transport.http.HttpTransportException;
import io.headroom.agent.transport.http.HttpTransportSettings;
import io.headroom.config.SecretResolver;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BMC over HTTPS, logged in as the device's settings say.
 *
 * <p>Session auth: the first request logs in ({@code POST /redfish/v1/SessionService/Sessions} with
 * {@code UserName}/{@code Password}); the answer's {@code X-Auth-Token} goes on every later request
 * and its {@code Location} is the session's own URI. A 401 on a request means the session expired or
 * was deleted on the BMC: the driver logs in again once and repeats the request. {@link #close()}
 * always deletes a session it made ({@code DELETE <Location>}), so that BMCs with a small session
 * limit are not filled with the agent's leftovers. Basic auth sends {@code Authorization} on every
 * request instead. The password is read from its reference at each login (a rotated file is picked
 * up) and never kept as a String.
 *
 * <p>Member paths that a BMC returns ({@code @odata.id}, {@code Location}) are used as paths on the
 * same host only: a hostile answer cannot send the agent's token elsewhere.
 */
final class RedfishClient implements RedfishResources, AutoCloseable {

    static final String SESSIONS = RedfishPaths.ROOT + "/SessionService/Sessions";
    private static final Logger logger = LoggerFactory.getLogger(RedfishClient.class);

    private final String deviceId;
    private final RedfishSettings settings;
    private final Duration timeout;
    private final SecretResolver secrets;
    private final String origin;
    private final RawReplyRecorder replies;
    private HttpTransport transport;
    private String token;
    private String sessionPath;
    private volatile boolean closed;

    RedfishClient(String deviceId, RedfishSettings settings, Duration timeout, SecretResolver secrets) {
        this(deviceId, settings, timeout, secrets, RawReplyRecorder.NONE);
    }

    /** As the other constructor, keeping what a poll asks and hears in {@code replies}. */
    RedfishClient(
            String deviceId,
            RedfishSettings settings,
            Duration timeout,
            SecretResolver secrets,
            RawReplyRecorder replies) {
        this.replies = replies;
        this.deviceId = deviceId;
        this.settings = settings;
        this.timeout = timeout;
        this.secrets = secrets;
        String host = settings.host().contains(":") && !settings.host().startsWith("[")
                ? "[" + settings.host() + "]"
                : settings.host();
        this.origin = settings.scheme().spelt() + "://" + host + ":" + settings.port();
    }

    @Override
    public JsonNode get(String path) throws RedfishFault, InterruptedException {
        return json(exchange("GET", path, null));
    }

    /** GET as JSON; a transport failure becomes a fault. */
    private HttpReply exchange(String method, String path, JsonNode body) throws RedfishFault, InterruptedException {
        try {
            return authorised(method, path, body);
        } catch (HttpTransportException e) {
            throw new RedfishFault(e);
        }
    }

    /** PATCHes the resource with {@code body}; returns normally only on a 2xx answer. */
    void patch(String path, JsonNode body) throws RedfishFault, InterruptedException {
        exchange("PATCH", path, body);
    }

    /**
     * POSTs {@code body} to an action's target; returns normally only on a 2xx answer (a 204 or an
     * empty body is fine: the caller reads the resource back).
     */
    void post(String path, JsonNode body) throws RedfishFault, InterruptedException {
        exchange("POST", path, body);
    }

    /** The JSON of a reply's body, or a fault {@code garbage}. */
    private static JsonNode json(HttpReply reply) throws RedfishFault {
        try {
            return reply.json();
        } catch (HttpTransportException e) {
            throw new RedfishFault(e);
        }
    }

    private HttpReply authorised(String method, String path, JsonNode body)
            throws HttpTransportException, RedfishFault, InterruptedException {
        if (settings.auth() == RedfishAuth.BASIC) {
            try {
                return send(method, path, body, Map.of("Authorization", basic()));
            } catch (HttpTransportException e) {
                if (e.status() == 401) {
                    throw new RedfishFault(
                            RedfishFault.AUTH_FAILED,
                            method + " " + path + ": the BMC refused user '" + settings.username()
                                    + "' (HTTP 401, basic auth)");
                }
                throw e;
            }
        }
        String current = sessionToken();
        try {
            return send(method, path, body, Map.of("X-Auth-Token", current));
        } catch (HttpTransportException e) {
            if (e.status() != 401) {
                throw e;
            }
            synchronized (this) {
                if (current.equals(token)) {
                    // Expired or deleted on the BMC: nothing to delete any more.
                    token = null;
                    sessionPath = null;
                }
            }
            logger.info("device {}: session refused (401), logging in again", deviceId);
            return send(method, path, body, Map.of("X-Auth-Token", sessionToken()));
        }
    }

    private HttpReply send(String method, String path, JsonNode body, Map<String, String> headers)
            throws HttpTransportException, RedfishFault, InterruptedException {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpTransport.json(body);
        return transport().send(method, uri(path), headers, publisher, timeout);
    }

    private synchronized HttpTransport transport() throws HttpTransportException {
        if (closed) {
            throw new HttpTransportException(HttpTransportException.CLOSED, "driver closed");
        }
        if (transport == null) {
            transport = HttpTransport.open(
                    deviceId,
                    new HttpTransportSettings(settings.caFile(), HttpTransportSettings.DEFAULT_MAX_BODY_BYTES),
                    timeout,
                    "devices." + deviceId + ".redfish.ca-file",
                    replies);
        }
        return transport;
    }

    private URI uri(String path) throws RedfishFault {
        try {
            return new URI(origin + path);
        } catch (URISyntaxException e) {
            throw new RedfishFault(RedfishFault.BAD_RESPONSE, "not a usable path: '" + path + "'");
        }
    }

    /** The session's token, logging in when there is none. */
    private String sessionToken() throws HttpTransportException, RedfishFault, InterruptedException {
        synchronized (this) {
            if (token != null) {
                return token;
            }
        }
        char[] password = password();
        ObjectNode credentials = JsonNodeFactory.instance.objectNode();
        credentials.put("UserName", settings.username());
        credentials.put("Password", new String(password));
        Arrays.fill(password, '\0');
        HttpReply reply;
        try {
            reply = transport().send("POST", uri(SESSIONS), Map.of(), HttpTransport.json(credentials), timeout);
        } catch (HttpTransportException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new RedfishFault(
                        RedfishFault.AUTH_FAILED,
                        "login as '" + settings.username() + "' refused by the BMC (HTTP " + e.status() + ")");
            }
            throw e;
        } finally {
            credentials.removeAll();
        }
        Optional<String> newToken = reply.header("X-Auth-Token").filter(t -> !t.isBlank());
        if (newToken.isEmpty()) {
            throw new RedfishFault(RedfishFault.BAD_RESPONSE, "login answered without an X-Auth-Token header");
        }
        String location = reply.header("Location").map(RedfishClient::pathOf).orElse(null);
        if (location == null && reply.body().length > 0) {
            JsonNode id = json(reply).get("@odata.id");
            location = id != null && id.isTextual() ? pathOf(id.asText()) : null;
        }
        synchronized (this) {
            token = newToken.get();
            sessionPath = location;
            if (closed) {
                deleteSession();
                throw new RedfishFault(RedfishFault.CLOSED, "driver closed");
            }
            return token;
        }
    }

    private String basic() throws RedfishFault {
        char[] password = password();
        try {
            CharBuffer joined = CharBuffer.allocate(settings.username().length() + 1 + password.length);
            joined.put(settings.username()).put(':').put(password).flip();
            java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(joined);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            String header = "Basic " + Base64.getEncoder().encodeToString(bytes);
            Arrays.fill(bytes, (byte) 0);
            return header;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password() throws RedfishFault {
        try {
            return secrets.resolve(settings.password());
        } catch (IOException e) {
            throw new RedfishFault(RedfishFault.NO_CREDENTIALS, "cannot read the BMC password: " + e.getMessage());
        }
    }

    /**
     * The path of a URI a BMC gave (absolute URL or path), only when it lies below the service root;
     * null otherwise.
     */
    static String pathOf(String reference) {
        String path;
        try {
            URI uri = new URI(reference.strip());
            path = uri.getRawPath();
        } catch (URISyntaxException e) {
            return null;
        }
        if (path == null || !path.startsWith(RedfishPaths.ROOT + "/") || path.contains("..")) {
            return null;
        }
        return path;
    }

    /** Deletes the session (bounded by the timeout); a failure is only logged. Holds the lock. */
    private void deleteSession() throws InterruptedException {
        String ended = token;
        String path = sessionPath;
        token = null;
        sessionPath = null;
        if (ended == null || path == null || transport == null) {
            return;
        }
        try {
            transport.send(
                    "DELETE", uri(path), Map.of("X-Auth-Token", ended), HttpRequest.BodyPublishers.noBody(), timeout);
            logger.debug("device {}: session {} deleted", deviceId, path);
        } catch (HttpTransportException | RedfishFault e) {
            logger.info("device {}: deleting session {} failed: {}", deviceId, path, e.getMessage());
        }
    }

    /**
     * Ends requests in flight, deletes the session and stops the transport. Idempotent. Takes at most
     * one timeout (the DELETE).
     */
    @Override
    public void close() {
        closed = true;
        HttpTransport current;
        synchronized (this) {
            current = transport;
        }
        if (current != null) {
            current.abort();
        }
        synchronized (this) {
            try {
                deleteSession();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (transport != null) {
                transport.close();
                transport = null;
            }
        }
    }
}
