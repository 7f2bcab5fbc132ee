package io.headroom.agent.driver.antminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.transport.http.HttpReply;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.agent.transport.http.HttpTransportException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stock firmware's CGI API ({@code /cgi-bin/<name>.cgi}) over the shared {@link HttpTransport}, with
 * Digest authentication. A request is sent with the latest challenge's credentials when there is one; a
 * 401 brings a fresh challenge, and the request is sent once more with it. A second 401 in a row means
 * the user name or password is wrong: {@link AntminerException#AUTH_FAILED}, naming the device. So a wrong
 * password costs two exchanges, never a loop.
 */
final class AntminerWebClient {

    @FunctionalInterface
    interface PasswordSource {
        /** The password, a fresh array the caller wipes. */
        char[] get() throws AntminerException;
    }

    private final String deviceId;
    private final AntminerSettings settings;
    private final HttpTransport transport;
    private final DigestAuthenticator digest;
    private final PasswordSource password;
    private int challenges;

    AntminerWebClient(
            String deviceId,
            AntminerSettings settings,
            HttpTransport transport,
            DigestAuthenticator digest,
            PasswordSource password) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.transport = transport;
        this.digest = digest;
        this.password = password;
    }

    /** Challenges received so far (for tests: credentials are reused, not re-challenged each request). */
    int challenges() {
        return challenges;
    }

    /** {@code GET /cgi-bin/<cgi>.cgi}, its body as a JSON object. */
    JsonNode get(String cgi, Duration timeout) throws AntminerException, InterruptedException {
        try {
            return exchange("GET", cgi, null, timeout).json();
        } catch (HttpTransportException e) {
            throw new AntminerException(e.reason(), "device " + deviceId + ": " + e.getMessage(), false, e);
        }
    }

    /** {@code POST /cgi-bin/<cgi>.cgi} with a JSON body, the answer as a JSON object. */
    JsonNode post(String cgi, JsonNode body, Duration timeout) throws AntminerException, InterruptedException {
        try {
            return exchange("POST", cgi, body, timeout).json();
        } catch (HttpTransportException e) {
            throw new AntminerException(e.reason(), "device " + deviceId + ": " + e.getMessage(), false, e);
        }
    }

    /** {@code POST /cgi-bin/<cgi>.cgi}; any 2xx answer is the acknowledgement, whatever its body. */
    void postAck(String cgi, JsonNode body, Duration timeout) throws AntminerException, InterruptedException {
        exchange("POST", cgi, body, timeout);
    }

    private HttpReply exchange(String method, String cgi, JsonNode body, Duration timeout)
            throws AntminerException, InterruptedException {
        String path = "/cgi-bin/" + cgi + ".cgi";
        URI uri = URI.create("http://" + hostPart() + ":" + settings.port() + path);
        boolean fresh = false;
        for (int attempt = 0; attempt < 2; attempt++) {
            Map<String, String> headers =
                    digest.challenge().isPresent() ? Map.of("Authorization", authorization(method, path)) : Map.of();
            HttpRequest.BodyPublisher publisher =
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpTransport.json(body);
            try {
                return transport.send(method, uri, headers, publisher, timeout);
            } catch (HttpTransportException e) {
                if (e.status() != 401) {
                    throw new AntminerException(
                            e.reason(), "device " + deviceId + ": " + e.getMessage(), e.isConnection(), e);
                }
                boolean sentCredentials = !headers.isEmpty();
                DigestChallenge challenge;
                try {
                    challenge = DigestChallenge.select(
                            e.header("WWW-Authenticate").map(List::of).orElse(List.of()));
                } catch (IllegalArgumentException bad) {
                    digest.forget();
                    throw new AntminerException(
                            AntminerException.AUTH_FAILED,
                            "device " + deviceId + ": " + method + " " + path + ": HTTP 401 and " + bad.getMessage());
                }
                challenges++;
                digest.accept(challenge);
                // A fresh challenge after credentials sent under a fresh challenge (and not stale): refused.
                if (sentCredentials && fresh && !challenge.stale()) {
                    digest.forget();
                    throw new AntminerException(
                            AntminerException.AUTH_FAILED,
                            "device " + deviceId + ": the miner refused user '" + settings.username()
                                    + "' with the password of its credentials (HTTP 401 on " + path
                                    + ", realm \"" + challenge.realm() + "\"); check the device's credentials");
                }
                fresh = true;
            }
        }
        digest.forget();
        throw new AntminerException(
                AntminerException.AUTH_FAILED,
                "device " + deviceId + ": the miner refused user '" + settings.username() + "' on " + path
                        + " twice (HTTP 401); check the device's credentials");
    }

    private String authorization(String method, String path) throws AntminerException {
        char[] secret = password.get();
        try {
            return digest.authorization(method, path, settings.username(), secret);
        } catch (IllegalArgumentException e) {
            digest.forget();
            throw new AntminerException(
                    AntminerException.AUTH_UNSUPPORTED, "device " + deviceId + ": " + e.getMessage());
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
    }

    private String hostPart() {
        String host = settings.host();
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
