package io.headroom.controller.api.auth;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Turns a request's credentials into a {@link Principal}: a session token as
 * {@code Authorization: Bearer <token>} (scripts) or in the {@value #COOKIE} cookie (the web
 * page), or {@code Authorization: Basic} where the password cannot be read on the way: over TLS
 * or from the loopback interface. Password checks go through the {@link LoginThrottle}; a source
 * over its limit gets 429 without a password being checked.
 *
 * <p>A Basic credential that verified is remembered for {@link #BASIC_CACHE_TTL} by its HMAC under a
 * per-process random key, so a script or Prometheus sending Basic on every request costs one
 * PBKDF2 run a minute, not one per request (each takes a worker thread about 0.1 s). Only
 * successes are remembered; a wrong password always pays the full check. Thread-safe.
 */
public final class Authenticator {
    /** The session cookie's name. */
    public static final String COOKIE = "headroom_session";
    /** Longest Authorization header looked at; longer is malformed. */
    private static final int MAX_AUTHORIZATION = 4096;

    public static final String UNAUTHENTICATED = "unauthenticated";
    public static final String INVALID_TOKEN = "invalid-token";
    public static final String BAD_CREDENTIALS = "bad-credentials";
    public static final String MALFORMED = "malformed-authorization";
    public static final String BASIC_NEEDS_TLS = "basic-needs-tls";
    public static final String THROTTLED = "throttled";
    public static final String BUSY = "password-checks-busy";

    /**
     * Password checks (PBKDF2, about 0.1 s of a core each) running at once, from all sources
     * together: the per-source throttle stops one address guessing, this stops many addresses (or
     * many users) from taking every worker thread and core with checks. One more is refused with 503
     * and Retry-After, without a check; sessions and cached Basic credentials are not affected.
     */
    public static final int MAX_CONCURRENT_CHECKS = 4;

    /** How long a verified Basic credential is taken without another PBKDF2 run. */
    public static final Duration BASIC_CACHE_TTL = Duration.ofMinutes(1);

    private static final int BASIC_CACHE_MAX = 1024;

    private final UserDirectory users;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final java.util.concurrent.Semaphore checks;
    private final byte[] cacheKey = new byte[32];
    /** HMAC of name:password → who and until when. Guarded by itself. */
    private final LinkedHashMap<String, Cached> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > BASIC_CACHE_MAX;
        }
    };

    public Authenticator(UserDirectory users, SessionStore sessions, LoginThrottle throttle, Clock clock) {
        this(users, sessions, throttle, clock, MAX_CONCURRENT_CHECKS);
    }

    /** With {@code maxConcurrentChecks} password checks at once (tests). */
    Authenticator(
            UserDirectory users, SessionStore sessions, LoginThrottle throttle, Clock clock, int maxConcurrentChecks) {
        this.checks = new java.util.concurrent.Semaphore(maxConcurrentChecks);
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.clock = Objects.requireNonNull(clock, "clock");
        new SecureRandom().nextBytes(cacheKey);
    }

    /**
     * Who sent a request.
     *
     * @param authorization the Authorization header, or null
     * @param cookies the Cookie header, or null
     * @param source the TCP peer
     * @param confidential whether the connection is TLS or loopback, where Basic is accepted
     */
    public AuthResult authenticate(String authorization, String cookies, InetAddress source, boolean confidential) {
        if (authorization != null) {
            return fromAuthorization(authorization.trim(), source, confidential);
        }
        Optional<String> cookie = cookie(cookies);
        if (cookie.isPresent()) {
            return fromToken(cookie.get());
        }
        return refused(
                401,
                UNAUTHENTICATED,
                "sign in first: POST /api/v1/session with {\"name\":…,\"password\":…}, then send the cookie or "
                        + "Authorization: Bearer <token>");
    }

    /**
     * Whether the caller that sent these headers is still signed in, for a response that outlasts its request
     * (the device stream): a session token, as a Bearer or the cookie, must still be live (not signed out, not
     * expired); Basic credentials were checked when the request came and a user cannot be removed without a
     * restart, so they stay valid. A cheap lookup, no password check.
     */
    public boolean stillSignedIn(@Nullable String authorization, @Nullable String cookies) {
        String token;
        if (authorization != null) {
            String header = authorization.trim();
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return true;
            }
            token = header.substring(7).trim();
        } else {
            token = cookie(cookies).orElse(null);
        }
        return token != null && sessions.find(token).isPresent();
    }

    /** Signs {@code name} in with {@code password} from {@code source}: a new session, or why not. */
    public AuthResult signIn(String name, char[] password, InetAddress source) {
        Optional<Refusal> blocked = blocked(source);
        if (blocked.isPresent()) {
            return new AuthResult.Refused(blocked.get());
        }
        if (!checks.tryAcquire()) {
            return busy();
        }
        Optional<Principal> principal;
        try {
            principal = users.authenticate(name, password);
        } finally {
            checks.release();
        }
        if (principal.isEmpty()) {
            throttle.failed(source);
            return refused(401, BAD_CREDENTIALS, "wrong user name or password");
        }
        throttle.succeeded(source);
        return new AuthResult.Authenticated(principal.get(), Optional.of(sessions.create(principal.get())));
    }

    /** Ends the session; true if it was live. */
    public boolean signOut(Session session) {
        return sessions.delete(session.token());
    }

    public Duration sessionTtl() {
        return sessions.ttl();
    }

    private AuthResult fromAuthorization(String header, InetAddress source, boolean confidential) {
        if (header.length() > MAX_AUTHORIZATION) {
            return refused(401, MALFORMED, "Authorization header longer than " + MAX_AUTHORIZATION + " characters");
        }
        int space = header.indexOf(' ');
        String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
        String value = space < 0 ? "" : header.substring(space + 1).trim();
        switch (scheme) {
            case "bearer":
                if (value.isEmpty() || !value.chars().allMatch(Authenticator::tokenChar)) {
                    return refused(401, MALFORMED, "Authorization: Bearer needs a token from POST /api/v1/session");
                }
                return fromToken(value);
            case "basic":
                return fromBasic(value, source, confidential);
            default:
                return refused(
                        401,
                        MALFORMED,
                        "Authorization scheme '" + truncate(scheme) + "' is not supported; use Bearer or Basic");
        }
    }

    private AuthResult fromBasic(String value, InetAddress source, boolean confidential) {
        if (!confidential) {
            return refused(
                    401,
                    BASIC_NEEDS_TLS,
                    "Basic authentication is accepted over TLS or from loopback only; use POST /api/v1/session");
        }
        char[] decoded;
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            Arrays.fill(bytes, (byte) 0);
            decoded = new char[chars.remaining()];
            chars.get(decoded);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return refused(401, MALFORMED, "Authorization: Basic must carry base64 of UTF-8 'name:password'");
        }
        try {
            int colon = -1;
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0 || colon == decoded.length - 1) {
                return refused(401, MALFORMED, "Authorization: Basic must carry base64 of 'name:password'");
            }
            Optional<Refusal> blocked = blocked(source);
            if (blocked.isPresent()) {
                return new AuthResult.Refused(blocked.get());
            }
            String key = mac(decoded);
            Instant now = clock.instant();
            synchronized (verified) {
                Cached hit = verified.get(key);
                if (hit != null && now.isBefore(hit.until())) {
                    return new AuthResult.Authenticated(hit.principal(), Optional.empty());
                }
            }
            String name = new String(decoded, 0, colon);
            char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            try {
                if (!checks.tryAcquire()) {
                    return busy();
                }
                Optional<Principal> principal;
                try {
                    principal = users.authenticate(name, password);
                } finally {
                    checks.release();
                }
                if (principal.isEmpty()) {
                    throttle.failed(source);
                    return refused(401, BAD_CREDENTIALS, "wrong user name or password");
                }
                synchronized (verified) {
                    verified.put(key, new Cached(principal.get(), now.plus(BASIC_CACHE_TTL)));
                }
                return new AuthResult.Authenticated(principal.get(), Optional.empty());
            } finally {
                Arrays.fill(password, '\0');
            }
        } finally {
            Arrays.fill(decoded, '\0');
        }
    }

    private AuthResult fromToken(String token) {
        Optional<Session> session = sessions.find(token);
        if (session.isEmpty()) {
            return refused(401, INVALID_TOKEN, "session unknown, expired or signed out; sign in again");
        }
        return new AuthResult.Authenticated(session.get().principal(), session);
    }

    private Optional<Refusal> blocked(InetAddress source) {
        return throttle.blockedFor(source).map(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return new Refusal(
                    429,
                    THROTTLED,
                    "too many failed sign-ins from " + source.getHostAddress() + "; try again in " + seconds + " s",
                    seconds);
        });
    }

    /** The session cookie's value from a Cookie header, if there is one. */
    static Optional<String> cookie(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            String pair = part.trim();
            if (pair.startsWith(COOKIE + "=")) {
                String value = pair.substring(COOKIE.length() + 1).trim();
                if (!value.isEmpty() && value.length() <= 128 && value.chars().allMatch(Authenticator::tokenChar)) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static String truncate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }

    private String mac(char[] credential) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(credential));
            byte[] input = new byte[bytes.remaining()];
            bytes.get(input);
            try {
                return Base64.getEncoder().encodeToString(mac.doFinal(input));
            } finally {
                Arrays.fill(input, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private record Cached(Principal principal, Instant until) {}

    private static AuthResult busy() {
        return new AuthResult.Refused(new Refusal(
                503,
                BUSY,
                MAX_CONCURRENT_CHECKS + " password checks are running already; retry in a second, or sign in once"
                        + " and use the session",
                1));
    }

    private static AuthResult refused(int status, String reason, String message) {
        return new AuthResult.Refused(Refusal.of(status, reason, message));
    }
}
