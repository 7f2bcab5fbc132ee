package io.headroom.simulator.antminer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of HTTP Digest authentication (RFC 7616) as the stock firmware's web server does it: a
 * challenge with a random nonce, {@code qop="auth"} and one algorithm (MD5 by default, as on the firmware;
 * SHA-256 selectable). A nonce lives {@link #nonceLifetime()} of the injected clock's time; credentials
 * that are right under an expired nonce get a fresh challenge with {@code stale=true}, wrong ones a fresh
 * challenge without it. A nonce count that does not increase is a replay and is refused. At most
 * {@value #MAX_NONCES} nonces are remembered (oldest forgotten first), so a flood of unauthenticated
 * requests cannot grow memory.
 *
 * <p>Thread-safe: synchronized on this object.
 */
final class DigestServer {

    static final String REALM = "antMiner Configuration";
    static final int MAX_NONCES = 1024;
    private static final Pattern PARAM =
            Pattern.compile("([A-Za-z0-9_-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    /** What one {@code Authorization} header amounts to. */
    enum Verdict {
        OK,
        /** Right credentials, expired nonce: challenge again with {@code stale=true}. */
        STALE,
        /** Missing, malformed, wrong or replayed: challenge again. */
        REFUSED
    }

    private final Clock clock;
    private final String username;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Nonce> nonces = new LinkedHashMap<>();
    private String password;
    private String algorithm = "MD5";
    private Duration nonceLifetime = Duration.ofMinutes(5);
    private int challenges;
    private int refusals;

    private static final class Nonce {
        final Instant issued;
        long lastCount;

        Nonce(Instant issued) {
            this.issued = issued;
        }
    }

    DigestServer(Clock clock, String username, String password) {
        this.clock = clock;
        this.username = username;
        this.password = password;
    }

    synchronized void setPassword(String password) {
        this.password = password;
    }

    /** {@code MD5} or {@code SHA-256}. */
    synchronized void setAlgorithm(String algorithm) {
        if (!algorithm.equals("MD5") && !algorithm.equals("SHA-256")) {
            throw new IllegalArgumentException("algorithm: MD5 or SHA-256, got " + algorithm);
        }
        this.algorithm = algorithm;
    }

    synchronized Duration nonceLifetime() {
        return nonceLifetime;
    }

    synchronized void setNonceLifetime(Duration lifetime) {
        this.nonceLifetime = lifetime;
    }

    /** Challenges sent so far. */
    synchronized int challenges() {
        return challenges;
    }

    /** Authorization headers refused so far (wrong, malformed or replayed; not stale). */
    synchronized int refusals() {
        return refusals;
    }

    /** A {@code WWW-Authenticate} value with a fresh nonce. */
    synchronized String challenge(boolean stale) {
        challenges++;
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        if (nonces.size() >= MAX_NONCES) {
            String oldest = nonces.keySet().iterator().next();
            nonces.remove(oldest);
        }
        nonces.put(nonce, new Nonce(clock.instant()));
        return "Digest realm=\"" + REALM + "\", nonce=\"" + nonce + "\", algorithm=" + algorithm + ", qop=\"auth\""
                + (stale ? ", stale=true" : "");
    }

    /** Checks one request's {@code Authorization} header (null when absent). */
    synchronized Verdict check(String header, String method, String requestUri) {
        if (header == null) {
            return Verdict.REFUSED;
        }
        if (header.length() > 4096 || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
            refusals++;
            return Verdict.REFUSED;
        }
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(header.substring(7));
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
            p.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), value);
        }
        Nonce nonce = nonces.get(p.getOrDefault("nonce", ""));
        String nc = p.getOrDefault("nc", "");
        String cnonce = p.get("cnonce");
        if (nonce == null
                || !username.equals(p.get("username"))
                || !REALM.equals(p.get("realm"))
                || !requestUri.equals(p.get("uri"))
                || !algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))
                || !"auth".equals(p.get("qop"))
                || cnonce == null
                || !nc.matches("[0-9a-fA-F]{8}")
                || p.get("response") == null) {
            refusals++;
            return Verdict.REFUSED;
        }
        String ha1 = hash(username + ":" + REALM + ":" + password);
        String ha2 = hash(method + ":" + requestUri);
        String expected = hash(ha1 + ":" + p.get("nonce") + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                p.get("response").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            refusals++;
            return Verdict.REFUSED;
        }
        long count = Long.parseLong(nc, 16);
        if (count <= nonce.lastCount) {
            refusals++;
            return Verdict.REFUSED; // a replayed request
        }
        if (clock.instant().isAfter(nonce.issued.plus(nonceLifetime))) {
            return Verdict.STALE;
        }
        nonce.lastCount = count;
        return Verdict.OK;
    }

    private String hash(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
