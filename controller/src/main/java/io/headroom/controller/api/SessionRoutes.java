package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.MAPPER;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;
import static io.headroom.controller.api.Responses.refusal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.AuditEntry;
import io.headroom.controller.api.auth.AuditLog;
import io.headroom.controller.api.auth.AuthResult;
import io.headroom.controller.api.auth.Authenticator;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.api.auth.Session;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;

/**
 * {@code /api/v1/session}: {@code POST} signs in with {@code {"name", "password"}} and answers the
 * session token, also set as an HttpOnly, SameSite=Strict cookie (Secure over TLS); {@code GET}
 * says who the caller is; {@code DELETE} signs out. Sign-ins and sign-outs are audited. Thread-safe.
 */
final class SessionRoutes {
    static final String PATH = "/api/v1/session";
    private static final int MAX_NAME = 64;

    private final Authenticator authenticator;
    private final AuditLog audit;
    private final Clock clock;

    SessionRoutes(Authenticator authenticator, AuditLog audit, Clock clock) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.clock = clock;
    }

    FullHttpResponse route(FullHttpRequest request, Peer peer) {
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.POST)) {
            return signIn(request, peer);
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.DELETE)) {
            FullHttpResponse response =
                    error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use GET, POST or DELETE");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, POST, DELETE");
            return response;
        }
        AuthResult auth = authenticate(request, peer);
        if (auth instanceof AuthResult.Refused refused) {
            return refusal(refused.refusal());
        }
        AuthResult.Authenticated who = (AuthResult.Authenticated) auth;
        if (method.equals(HttpMethod.GET)) {
            return json(HttpResponseStatus.OK, view(who.principal(), who.session()));
        }
        if (who.session().isEmpty()) {
            return error(
                    HttpResponseStatus.BAD_REQUEST,
                    "no-session",
                    "this request authenticated with Basic; there is no session to end");
        }
        authenticator.signOut(who.session().get());
        ObjectNode body = MAPPER.createObjectNode();
        body.put("signedOut", true);
        FullHttpResponse response = json(HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.SET_COOKIE, cookie("", 0, peer.tls()));
        audit(who.principal().name(), who.principal().role().spelling(), "sign-out", peer, 200, "signed out");
        return response;
    }

    AuthResult authenticate(FullHttpRequest request, Peer peer) {
        return authenticator.authenticate(
                request.headers().get(HttpHeaderNames.AUTHORIZATION),
                request.headers().get(HttpHeaderNames.COOKIE),
                peer.inetAddress(),
                peer.confidential());
    }

    private FullHttpResponse signIn(FullHttpRequest request, Peer peer) {
        JsonNode body;
        try {
            body = MAPPER.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "body: not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            return error(HttpResponseStatus.BAD_REQUEST, "body: must be {\"name\": …, \"password\": …}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!field.equals("name") && !field.equals("password")) {
                return error(HttpResponseStatus.BAD_REQUEST, "unknown field '" + field + "'; known: name, password");
            }
        }
        JsonNode name = body.get("name");
        JsonNode password = body.get("password");
        if (name == null
                || !name.isTextual()
                || name.asText().isEmpty()
                || name.asText().length() > MAX_NAME) {
            return error(
                    HttpResponseStatus.BAD_REQUEST, "name: required, a string of 1 to " + MAX_NAME + " characters");
        }
        if (password == null || !password.isTextual() || password.asText().isEmpty()) {
            return error(HttpResponseStatus.BAD_REQUEST, "password: required, a non-empty string");
        }
        char[] secret = password.asText().toCharArray();
        AuthResult result;
        try {
            result = authenticator.signIn(name.asText(), secret, peer.inetAddress());
        } finally {
            Arrays.fill(secret, '\0');
        }
        if (result instanceof AuthResult.Refused refused) {
            if (refused.refusal().status() == 401) {
                // Throttled attempts (429) are not written: a flood must not fill the disk.
                audit(name.asText(), "", "sign-in", peer, 401, refused.refusal().message());
            }
            return refusal(refused.refusal());
        }
        AuthResult.Authenticated who = (AuthResult.Authenticated) result;
        Session session = who.session().orElseThrow();
        ObjectNode view = view(who.principal(), who.session());
        view.put("token", session.token());
        FullHttpResponse response = json(HttpResponseStatus.OK, view);
        response.headers()
                .set(
                        HttpHeaderNames.SET_COOKIE,
                        cookie(session.token(), authenticator.sessionTtl().toSeconds(), peer.tls()));
        audit(who.principal().name(), who.principal().role().spelling(), "sign-in", peer, 200, "signed in");
        return response;
    }

    private static ObjectNode view(Principal principal, Optional<Session> session) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", principal.name());
        node.put("role", principal.role().spelling());
        session.ifPresent(s -> node.put("expiresAt", s.expiresAt().toString()));
        return node;
    }

    private static String cookie(String token, long maxAgeSeconds, boolean tls) {
        return Authenticator.COOKIE + "=" + token + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : "");
    }

    private void audit(String user, String role, String action, Peer peer, int status, String outcome) {
        audit.append(new AuditEntry(clock.instant(), user, role, action, user, "", peer.describe(), status, outcome));
    }
}
