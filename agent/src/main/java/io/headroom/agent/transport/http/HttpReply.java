package io.headroom.agent.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A 2xx answer: its status, headers and body (at most the transport's cap).
 *
 * @param uri what was asked
 * @param status the HTTP status, 200 … 299
 * @param headers the response headers
 * @param body the body's bytes, handed over to the reply (not copied: it can be a MiB, and nothing
 *     else holds it)
 */
@SuppressWarnings("ArrayRecordComponent")
public record HttpReply(URI uri, int status, HttpHeaders headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public HttpReply {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header (names are case-insensitive). */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as a JSON object.
     *
     * @throws HttpTransportException reason {@code garbage} when it is not JSON or not an object
     */
    public JsonNode json() throws HttpTransportException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpTransportException(
                    HttpTransportException.GARBAGE,
                    uri.getPath() + ": the body is not JSON: " + e.getOriginalMessage(),
                    e);
        } catch (java.io.IOException e) {
            throw new HttpTransportException(
                    HttpTransportException.GARBAGE, uri.getPath() + ": the body is not JSON: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new HttpTransportException(
                    HttpTransportException.GARBAGE,
                    uri.getPath() + ": expected a JSON object, got "
                            + (root == null || root.isMissingNode() ? "an empty body" : root.getNodeType()));
        }
        return root;
    }
}
