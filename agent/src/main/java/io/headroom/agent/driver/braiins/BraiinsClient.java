package io.headroom.agent.driver.braiins;

import com.fasterxml.jackson.core.JsonGenerator;
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
 * The Braiins OS Public REST API ({@code /api/v1/...}) over the shared {@link HttpTransport}, with its token login
 * (reference/DEVICES.md §4.4): {@code POST /api/v1/auth/login {"username","password"}} answers
 * {@code {"token","timeout_s"}}, and every other request carries the token as its {@code Authorization} header (no
 * scheme, as the firmware and asic-rs send it). The token's validity is renewed by each request, so one login
 * serves every poll while the agent polls more often than {@code timeout_s}.
 *
 * <p>A 401 on a request with a token means the token lapsed (or bosminer restarted and forgot it): the client logs
 * in again and sends the request once more. A 401 on that retry, or a 401/403 on the login itself, is
 * {@link BraiinsException#AUTH_FAILED}, naming the device. So a wrong password costs one exchange per poll and a
 * lapsed token two more, never a loop. Bodies are read through the transport's size cap; any JSON value is
 * accepted here ({@code pools/} is an array, {@code actions/pause} a boolean), its shape is checked by the caller.
 */
final class BraiinsClient {

    @FunctionalInterface
    interface PasswordSource {
        /** The password, a fresh array the caller wipes. */
        char[] get() throws BraiinsException;
    }

    /** What a token may be: it goes into a header, so nothing a header cannot carry, and not a MiB of it. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,1024}");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1/";

    private final String deviceId;
    private final BraiinsSettings settings;
    private final HttpTransport transport;
    private final PasswordSource password;
    private String token;
    private int logins;

    BraiinsClient(String deviceId, BraiinsSettings settings, HttpTransport transport, PasswordSource password) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.transport = transport;
        this.password = password;
    }

    /** Logins made so far (for tests: the token is reused, not renewed on every request). */
    int logins() {
        return logins;
    }

    /** {@code GET /api/v1/<endpoint>}, its body as JSON. */
    JsonNode get(String endpoint, Duration timeout) throws BraiinsException, InterruptedException {
        return exchange("GET", endpoint, null, timeout);
    }

    /** {@code PUT /api/v1/<endpoint>} with a JSON body (or none), the answer as JSON (missing when empty). */
    JsonNode put(String endpoint, JsonNode body, Duration timeout) throws BraiinsException, InterruptedException {
        return exchange("PUT", endpoint, body, timeout);
    }

    private JsonNode exchange(String method, String endpoint, JsonNode body, Duration timeout)
            throws BraiinsException, InterruptedException {
        URI uri = uri(endpoint);
        boolean fresh = false;
        if (token == null) {
            login(timeout);
            fresh = true;
        }
        for (int attempt = 0; ; attempt++) {
            HttpRequest.BodyPublisher publisher =
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpTransport.json(body);
            try {
                HttpReply reply = transport.send(method, uri, Map.of("Authorization", token), publisher, timeout);
                return parse("device " + deviceId + ": " + method + " " + uri.getPath(), reply.body());
            } catch (HttpTransportException e) {
                if (e.status() != 401) {
                    throw failure(e);
                }
                token = null;
                if (fresh || attempt > 0) {
                    throw new BraiinsException(
                            BraiinsException.AUTH_FAILED,
                            "device " + deviceId + ": " + method + " " + uri.getPath()
                                    + " is refused (HTTP 401) with a token the miner has just given; check that user '"
                                    + settings.username() + "' may use the API");
                }
                login(timeout);
                fresh = true;
            }
        }
    }

    private void login(Duration timeout) throws BraiinsException, InterruptedException {
        URI uri = uri("auth/login");
        byte[] body = loginBody();
        JsonNode answer;
        try {
            HttpReply reply =
                    transport.send("POST", uri, Map.of(), HttpRequest.BodyPublishers.ofByteArray(body), timeout);
            answer = parse("device " + deviceId + ": POST " + uri.getPath(), reply.body());
        } catch (HttpTransportException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new BraiinsException(
                        BraiinsException.AUTH_FAILED,
                        "device " + deviceId + ": the miner refused user '" + settings.username()
                                + "' with the password of its credentials (HTTP " + e.status()
                                + " on /api/v1/auth/login); check the device's credentials",
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
                || !TOKEN.matcher(value.asText()).matches()) {
            throw new BraiinsException(
                    BraiinsException.BAD_RESPONSE,
                    "device " + deviceId + ": /api/v1/auth/login answered without a usable token"
                            + " (expected {\"token\": \"<1-1024 printable characters>\", \"timeout_s\": n})");
        }
        token = value.asText();
        logins++;
    }

    /** {@code {"username":…,"password":…}} written from the password's characters, which are wiped. */
    private byte[] loginBody() throws BraiinsException {
        char[] secret = password.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("username", settings.username());
            json.writeFieldName("password");
            json.writeString(secret, 0, secret.length);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the login body", e);
        } finally {
            Arrays.fill(secret, '\0');
        }
        return out.toByteArray();
    }

    private BraiinsException failure(HttpTransportException e) {
        return new BraiinsException(e.reason(), "device " + deviceId + ": " + e.getMessage(), e.isConnection(), e);
    }

    /** A body as JSON: an empty body (204) is a missing node, anything else must parse. */
    static JsonNode parse(String what, byte[] body) throws BraiinsException {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BraiinsException(
                    BraiinsException.GARBAGE, what + ": the body is not JSON: " + firstLine(e), false, e);
        }
        return root == null ? MissingNode.getInstance() : root;
    }

    /** Jackson's own words up to its hint in parentheses, without the source excerpt. */
    private static String firstLine(IOException e) {
        String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage()
                : String.valueOf(e.getMessage());
        int end = message.indexOf(": expected");
        return end < 0 ? message : message.substring(0, end);
    }

    private URI uri(String endpoint) {
        String host = settings.host();
        String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + hostPart + ":" + settings.port() + API + endpoint);
    }
}
