package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The controller's HTTP API as the command line uses it: signs in once ({@code POST
 * /api/v1/session}) and sends the token on each request. The password comes from a file or the
 * {@code HEADROOM_PASSWORD} environment variable, never from an argument (which {@code ps} and
 * shell history would show).
 */
final class ApiClient {
    static final String PASSWORD_ENV = "HEADROOM_PASSWORD";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The options every API command takes (a picocli mixin). */
    static final class Options {
        @Option(
                names = "--url",
                defaultValue = "http://127.0.0.1:8080",
                description = "The controller's API (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--user", required = true, description = "API user name (operator to write).")
        String user;

        @Option(
                names = "--password-file",
                description = "File whose first line is the password; else the HEADROOM_PASSWORD environment variable.")
        Path passwordFile;
    }

    /** Thrown when the controller cannot be reached at all. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown when no password is given, or its file cannot be read. */
    static final class NoPassword extends Exception {
        private static final long serialVersionUID = 1L;

        NoPassword(String message) {
            super(message);
        }
    }

    /**
     * One answer.
     *
     * @param status the HTTP status
     * @param body the JSON body; a missing node when the body was not JSON
     * @param text the body as sent
     */
    record Answer(int status, JsonNode body, String text) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The error message and each listed problem, for stderr. */
        List<String> errors() {
            List<String> lines = new java.util.ArrayList<>();
            JsonNode problems = body.path("problems");
            if (problems.isArray() && problems.size() > 1) {
                problems.forEach(p -> lines.add(p.asText()));
            } else if (body.has("error")) {
                lines.add(body.path("error").asText());
            } else {
                lines.add(text.isBlank() ? "(no body)" : text.strip());
            }
            return lines;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String token;

    private ApiClient(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /**
     * Signs in.
     *
     * @param env the environment (System::getenv)
     * @return the client, or the refused sign-in's answer
     */
    static Object signIn(Options options, Function<String, String> env) throws Unreachable, NoPassword {
        String password = password(options, env);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        URI base = URI.create(options.url.toString().replaceAll("/+$", ""));
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("name", options.user, "password", password));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Answer answer = send(http, base, "POST", "/api/v1/session", body, null);
        if (!answer.ok() || !answer.body().path("token").isTextual()) {
            return answer;
        }
        return new ApiClient(http, base, answer.body().get("token").asText());
    }

    Answer get(String path) throws Unreachable {
        return send(http, base, "GET", path, null, token);
    }

    Answer post(String path, String json) throws Unreachable {
        return send(http, base, "POST", path, json, token);
    }

    Answer delete(String path) throws Unreachable {
        return send(http, base, "DELETE", path, "", token);
    }

    private static Answer send(HttpClient http, URI base, String method, String path, String body, String token)
            throws Unreachable {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.GET();
        } else {
            // The write guard wants JSON on every write, DELETE included.
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Unreachable("cannot reach the controller at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted talking to " + base, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        return new Answer(response.statusCode(), json == null ? JSON.missingNode() : json, response.body());
    }

    private static String password(Options options, Function<String, String> env) throws NoPassword {
        if (options.passwordFile != null) {
            try {
                List<String> lines = Files.readAllLines(options.passwordFile, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new NoPassword("--password-file: " + options.passwordFile + ": the first line is empty");
                }
                return lines.get(0);
            } catch (IOException e) {
                throw new NoPassword("--password-file: cannot read " + options.passwordFile + ": " + e.getMessage());
            }
        }
        String password = env.apply(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            throw new NoPassword("no password: give --password-file or set " + PASSWORD_ENV);
        }
        return password;
    }
}
