package io.headroom.agent.driver.antminer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Digest access authentication, client side, as RFC 7616 defines it: algorithms MD5, SHA-256 and
 * SHA-512-256, each also as {@code -sess}; {@code qop=auth} with a nonce count and a fresh client nonce per
 * request, or the RFC 2069 form when the server offers no qop. The latest challenge is kept so that the
 * next request authenticates at once (nonce count + 1) instead of paying a 401 round trip each time.
 *
 * <p>{@code auth-int} (a hash of the body) is not done: a challenge offering only it is refused with a
 * clear message. Not thread-safe; the driver owning it is never called concurrently.
 */
final class DigestAuthenticator {

    private final SecureRandom random;
    private DigestChallenge challenge;
    private long nonceCount;

    DigestAuthenticator(SecureRandom random) {
        this.random = random;
    }

    /** The challenge in use, if the server sent one yet. */
    Optional<DigestChallenge> challenge() {
        return Optional.ofNullable(challenge);
    }

    /** Takes a new challenge from the server; the nonce count restarts. */
    void accept(DigestChallenge fresh) {
        this.challenge = fresh;
        this.nonceCount = 0;
    }

    /** Forgets the challenge (e.g. after the server refused it). */
    void forget() {
        this.challenge = null;
    }

    /**
     * The {@code Authorization} value for one request under the current challenge.
     *
     * @param method {@code GET}, {@code POST}
     * @param uri the request target as sent ({@code /cgi-bin/stats.cgi})
     * @throws IllegalStateException when no challenge was accepted yet
     * @throws IllegalArgumentException naming what the challenge asks that is not supported
     */
    String authorization(String method, String uri, String username, char[] password) {
        return authorization(method, uri, username, password, HexFormat.of().formatHex(randomBytes(16)));
    }

    /** As {@link #authorization(String, String, String, char[])} with a given client nonce (RFC test vectors). */
    String authorization(String method, String uri, String username, char[] password, String cnonce) {
        if (challenge == null) {
            throw new IllegalStateException("no Digest challenge yet");
        }
        String algorithm = challenge.algorithm().toUpperCase(Locale.ROOT);
        boolean session = algorithm.endsWith("-SESS");
        String base = session ? algorithm.substring(0, algorithm.length() - "-SESS".length()) : algorithm;
        String jdkName = jdkAlgorithm(base);
        boolean qop = !challenge.qops().isEmpty();
        if (qop && !challenge.qops().contains("auth")) {
            throw new IllegalArgumentException(
                    "the server offers only qop " + String.join(",", challenge.qops()) + "; this client does qop=auth");
        }
        nonceCount++;
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        byte[] secret = joined(username + ":" + challenge.realm() + ":", password);
        String ha1;
        try {
            ha1 = hex(jdkName, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        if (session) {
            ha1 = hex(jdkName, ha1 + ":" + challenge.nonce() + ":" + cnonce);
        }
        String ha2 = hex(jdkName, method + ":" + uri);
        String response = qop
                ? hex(jdkName, ha1 + ":" + challenge.nonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : hex(jdkName, ha1 + ":" + challenge.nonce() + ":" + ha2);
        StringBuilder header = new StringBuilder("Digest ");
        header.append("username=").append(quoted(username));
        header.append(", realm=").append(quoted(challenge.realm()));
        header.append(", nonce=").append(quoted(challenge.nonce()));
        header.append(", uri=").append(quoted(uri));
        header.append(", algorithm=").append(challenge.algorithm());
        header.append(", response=").append(quoted(response));
        challenge.opaque().ifPresent(o -> header.append(", opaque=").append(quoted(o)));
        if (qop) {
            header.append(", qop=auth, nc=").append(nc).append(", cnonce=").append(quoted(cnonce));
        }
        return header.toString();
    }

    /** The JDK's name of an RFC 7616 hash algorithm. */
    static String jdkAlgorithm(String rfcName) {
        switch (rfcName) {
            case "MD5":
                return "MD5";
            case "SHA-256":
                return "SHA-256";
            case "SHA-512-256":
                return "SHA-512/256";
            default:
                throw new IllegalArgumentException("Digest algorithm '" + rfcName
                        + "' is not supported; expected MD5, SHA-256 or SHA-512-256 (optionally -sess)");
        }
    }

    static String hex(String jdkName, String text) {
        return hex(jdkName, text.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(String jdkName, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdkName).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + jdkName, e);
        }
    }

    private static byte[] joined(String prefix, char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + encoded.remaining()];
        System.arraycopy(head, 0, out, 0, head.length);
        encoded.get(out, head.length, encoded.remaining());
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A quoted-string; the values here never hold a quote or backslash, but one is escaped if it does. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
