package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.headroom.agent.transport.http.HttpReply;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.agent.transport.http.HttpTransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Vnish web API ({@code /api/v1/...}, "xminer-api" 1.2.6–1.3.4) over the shared {@link HttpTransport}, with its
 * two ways in (reference/DEVICES.md §4.6, the vendor's {@code api-doc.json}):
 *
 * <ul>
 *   <li>password: {@code POST /api/v1/unlock {"pw": …}} answers {@code {"token"}} (403 on a wrong password, 429
 *       after too many), and every other request carries {@code Authorization: Bearer <token>}. One login serves
 *       every poll; a 401 on a request with a token means it lapsed (or the miner restarted and forgot it): the
 *       client unlocks again and sends the request once more. A 401 on that retry, or a refusal of the unlock
 *       itself, is {@link VnishException#AUTH_FAILED} naming the device: a wrong password costs one exchange per
 *       poll and a lapsed token two more, never a loop.</li>
 *   <li>API key: the key is sent as {@code x-api-key} on every request, no login; a 401 is AUTH_FAILED at once.</li>
 * </ul>
 *
 * Bodies are read through the transport's size cap; any JSON value is accepted here ({@code autotune/presets} is
 * an array), its shape is checked by the caller.
 */
final class VnishClient {

    @FunctionalInterface
    interface SecretSource {
        /** The password or API key, a fresh array the caller wipes. */
        char[] get() throws VnishException;
    }

    /** What a token or API key may be: it goes into a header, so nothing a header cannot carry, and not a MiB. */
    private static final Pattern HEADER_SAFE = Pattern.compile("[\\x21-\\x7e]{1,2048}");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1/";

    private final String deviceId;
    private final VnishSettings settings;
    private final HttpTransport transport;
    private final SecretSource secret;
    private String token;
    private int logins;

    VnishClient(String deviceId, VnishSettings settings, HttpTransport transport, SecretSource secret) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.transport = transport;
        this.secret = secret;
    }

    /** Logins (unlocks) made so far (for tests: the token is reused, not renewed on every request). */
    int logins() {
        return logins;
    }

    /** {@code GET /api/v1/<endpoint>}, its body as JSON. */
    JsonNode get(String endpoint, Duration timeout) throws VnishException, InterruptedException {
        return exchange("GET", endpoint, null, timeout);
    }

    /** {@code POST /api/v1/<endpoint>} with a JSON body (or none), the answer as JSON (missing when empty). */
    JsonNode post(String endpoint, JsonNode body, Duration timeout) throws VnishException, InterruptedException {
        return exchange("POST", endpoint, body, timeout);
    }

    private JsonNode exchange(String method, String endpoint, JsonNode body, Duration timeout)
            throws VnishException, InterruptedException {
        URI uri = uri(endpoint);
        String what = "device " + deviceId + ": " + method + " " + uri.getPath();
        if (settings.apiKey()) {
            try {
                return send(method, uri, body, Map.of("x-api-key", apiKey()), timeout, what);
            } catch (HttpTransportException e) {
                if (e.status() == 401 || e.status() == 403) {
                    throw new VnishException(
                            VnishException.AUTH_FAILED,
                            what + " is refused (HTTP " + e.status() + ") with the API key of the device's"
                                    + " credentials; check that the key exists in the miner's web UI",
                            false,
                            e);
                }
                throw failure(e);
            }
        }
        boolean fresh = false;
        if (token == null) {
            login(timeout);
            fresh = true;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return send(method, uri, body, Map.of("Authorization", "Bearer " + token), timeout, what);
            } catch (HttpTransportException e) {
                if (e.status() != 401) {
                    throw failure(e);
                }
                token = null;
                if (fresh || attempt > 0) {
                    throw new VnishException(
                            VnishException.AUTH_FAILED,
                            what + " is refused (HTTP 401) with a token the miner has just given");
                }
                login(timeout);
                fresh = true;
            }
        }
    }

    private JsonNode send(
            String method, URI uri, JsonNode body, Map<String, String> headers, Duration timeout, String what)
            throws HttpTransportException, VnishException, InterruptedException {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpTransport.json(body);
        HttpReply reply = transport.send(method, uri, headers, publisher, timeout);
        return parse(what, reply.body());
    }

    private String apiKey() throws VnishException {
        char[] key = secret.get();
        try {
            String value = new String(key).strip();
            if (!HEADER_SAFE.matcher(value).matches()) {
                throw new VnishException(
                        VnishException.NO_CREDENTIALS,
                        "device " + deviceId + ": the API key of its credentials is not 1-2048 printable characters");
            }
            return value;
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    private void login(Duration timeout) throws VnishException, InterruptedException {
        URI uri = uri("unlock");
        byte[] body = unlockBody();
        JsonNode answer;
        try {
            HttpReply reply =
                    transport.send("POST", uri, Map.of(), HttpRequest.BodyPublishers.ofByteArray(body), timeout);
            answer = parse("device " + deviceId + ": POST " + uri.getPath(), reply.body());
        } catch (HttpTransportException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new VnishException(
                        VnishException.AUTH_FAILED,
                        "device " + deviceId + ": the miner refused the web password of its credentials (HTTP "
                                + e.status() + " on /api/v1/unlock); check the device's credentials",
                        false,
                        e);
            }
            if (e.status() == 429) {
                throw new VnishException(
                        VnishException.AUTH_FAILED,
                        "device " + deviceId + ": the miner refuses logins for now (HTTP 429 on /api/v1/unlock:"
                                + " too many attempts, as after repeated wrong passwords)",
                        false,
                        e);
            }
            throw failure(e);
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        JsonNode value = answer.get("token");
        if (value == null
                || !value.isTextual()
                || !HEADER_SAFE.matcher(value.asText()).matches()) {
            throw new VnishException(
                    VnishException.BAD_RESPONSE,
                    "device " + deviceId + ": /api/v1/unlock answered without a usable token"
                            + " (expected {\"token\": \"<1-2048 printable characters>\"})");
        }
        token = value.asText();
        logins++;
    }

    /** {@code {"pw":…}} written from the password's characters, which are wiped. */
    private byte[] unlockBody() throws VnishException {
        char[] password = secret.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream(48);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("pw");
            json.writeString(password, 0, password.length);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the unlock body", e);
        } finally {
            Arrays.fill(password, '\0');
        }
        return out.toByteArray();
    }

    private VnishException failure(HttpTransportException e) {
        return new VnishException(e.reason(), "device " + deviceId + ": " + e.getMessage(), e.isConnection(), e);
    }

    /** A body as JSON: an empty body is a missing node, anything else must parse. */
    static JsonNode parse(String what, byte[] body) throws VnishException {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new VnishException(
                    VnishException.GARBAGE, what + ": the body is not JSON: " + firstLine(e), false, e);
        }
        return root == null ? MissingNode.getInstance() : root;
    }

    /** Jackson's own words up to its hint, without the source excerpt. */
    private static String firstLine(IOException e) {
        String message =
                e instanceof JsonProcessingException json ? json.getOriginalMessage() : String.valueOf(e.getMessage());
        int end = message.indexOf(": expected");
        return end < 0 ? message : message.substring(0, end);
    }

    private URI uri(String endpoint) {
        String host = settings.host();
        String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + hostPart + ":" + settings.port() + API + endpoint);
    }
}
