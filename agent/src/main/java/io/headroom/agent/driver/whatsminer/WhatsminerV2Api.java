package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.time.MonotonicClock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whatsminer API v2 on TCP 4028 (reference/DEVICES.md §4.3): plain CGMiner-style reads, and writes in
 * the encrypted envelope.
 *
 * <p>A write takes a token ({@code get_token} → {@code time, salt, newsalt}), signs the command with
 * {@code host_sign} and sends {@code {"enc":1,"data":…}}. The miner keeps at most 32 tokens per client
 * and each lives 30 minutes, so a token is reused for {@link #TOKEN_REUSE} and a new one is taken only
 * when it is older or the miner refuses it (135). Code 136 (too many tokens) starts a backoff during
 * which no new token is asked for: {@link #TOKEN_BACKOFF_MIN} doubling to {@link #TOKEN_BACKOFF_MAX}.
 */
final class WhatsminerV2Api {

    /** How long a token is used: under its 30-minute life, with a margin for clock differences. */
    static final Duration TOKEN_REUSE = Duration.ofMinutes(25);

    static final Duration TOKEN_BACKOFF_MIN = Duration.ofMinutes(1);
    static final Duration TOKEN_BACKOFF_MAX = Duration.ofMinutes(16);

    static final int CODE_OK = 131;
    static final int CODE_ERROR = 132;
    static final int CODE_TOKEN_OK = 134;
    static final int CODE_BAD_TOKEN = 135;
    static final int CODE_TOO_MANY_TOKENS = 136;
    static final int CODE_PERMISSION_DENIED = 45;

    private record Token(String hostPasswordMd5, String hostSign, SecretKeySpec key, long takenAtNanos) {}

    private final WhatsminerTransport transport;
    private final int port;
    private final MonotonicClock monotonic;
    private Token token;
    private long backoffUntilNanos;
    private long backoffNanos;
    private boolean inBackoff;
    private int tokensTaken;

    WhatsminerV2Api(WhatsminerTransport transport, int port, MonotonicClock monotonic) {
        this.transport = transport;
        this.port = port;
        this.monotonic = monotonic;
    }

    /** Tokens asked for so far (for tests and meters). */
    int tokensTaken() {
        return tokensTaken;
    }

    /** Sends a plain read {@code {"command":…}} and checks its status. */
    JsonNode read(String command) throws WhatsminerException, InterruptedException {
        String raw = transport.exchangeV2(port, command, "{\"command\":\"" + command + "\"}");
        JsonNode root = WhatsminerJson.parseRepaired(command, raw);
        checkStatus(command, root);
        return root;
    }

    /**
     * Sends a privileged command in the encrypted envelope and returns its decrypted reply.
     *
     * @param params the command's own fields besides {@code cmd} and {@code token}
     */
    JsonNode write(String cmd, Map<String, String> params, char[] password)
            throws WhatsminerException, InterruptedException {
        boolean fresh = false;
        Token current = token;
        if (current == null || monotonic.nanoTime() - current.takenAtNanos() - TOKEN_REUSE.toNanos() >= 0) {
            current = takeToken(cmd, password);
            fresh = true;
        }
        try {
            return sendSigned(cmd, params, current);
        } catch (WhatsminerException e) {
            if (!e.reason().equals(WhatsminerException.AUTH_FAILED)) {
                throw e;
            }
            token = null;
            if (fresh) {
                throw e;
            }
            // A reused token the miner no longer knows (its restart, its 30 minutes): one fresh try.
            return sendSigned(cmd, params, takeToken(cmd, password));
        }
    }

    private JsonNode sendSigned(String cmd, Map<String, String> params, Token signed)
            throws WhatsminerException, InterruptedException {
        ObjectNode plain = JsonNodeFactory.instance.objectNode().put("cmd", cmd);
        params.forEach(plain::put);
        plain.put("token", signed.hostSign());
        ObjectNode envelope = JsonNodeFactory.instance.objectNode().put("enc", 1);
        envelope.put("data", WhatsminerCrypto.encrypt(signed.key(), plain.toString()));
        String raw = transport.exchangeV2(port, cmd, envelope.toString());
        JsonNode root = WhatsminerJson.parseRepaired(cmd, raw);
        JsonNode enc = root.get("enc");
        if (enc != null && enc.isTextual()) {
            String decrypted;
            try {
                decrypted = WhatsminerCrypto.decrypt(signed.key(), enc.asText());
            } catch (IllegalArgumentException e) {
                throw new WhatsminerException(
                        WhatsminerException.BAD_RESPONSE, cmd + ": encrypted reply: " + e.getMessage(), e);
            }
            root = WhatsminerJson.parseRepaired(cmd, decrypted);
        }
        checkStatus(cmd, root);
        return root;
    }

    private Token takeToken(String cmd, char[] password) throws WhatsminerException, InterruptedException {
        long now = monotonic.nanoTime();
        if (inBackoff && now - backoffUntilNanos < 0) {
            throw new WhatsminerException(
                    WhatsminerException.TOO_MANY_TOKENS,
                    cmd + ": the miner refused a token (136, too many tokens); not asking again for "
                            + Duration.ofNanos(backoffUntilNanos - now).toSeconds() + " s");
        }
        JsonNode reply;
        try {
            reply = read("get_token");
        } catch (WhatsminerException e) {
            if (e.reason().equals(WhatsminerException.TOO_MANY_TOKENS)) {
                backoffNanos = inBackoff
                        ? Math.min(backoffNanos * 2, TOKEN_BACKOFF_MAX.toNanos())
                        : TOKEN_BACKOFF_MIN.toNanos();
                inBackoff = true;
                backoffUntilNanos = monotonic.nanoTime() + backoffNanos;
                throw new WhatsminerException(
                        e.reason(),
                        e.getMessage() + "; backing off "
                                + Duration.ofNanos(backoffNanos).toSeconds() + " s",
                        e);
            }
            throw e;
        }
        inBackoff = false;
        tokensTaken++;
        JsonNode msg = reply.path("Msg");
        String time = msg.path("time").asText("");
        String salt = msg.path("salt").asText("");
        String newSalt = msg.path("newsalt").asText("");
        if (time.isEmpty() || salt.isEmpty() || newSalt.isEmpty()) {
            throw new WhatsminerException(
                    WhatsminerException.BAD_RESPONSE, "get_token: reply lacks Msg.time, Msg.salt or Msg.newsalt");
        }
        try {
            String passwordMd5 = WhatsminerCrypto.hostPasswordMd5(password, salt);
            String sign = WhatsminerCrypto.hostSign(passwordMd5, time, newSalt);
            token = new Token(passwordMd5, sign, WhatsminerCrypto.aesKey(passwordMd5), monotonic.nanoTime());
            return token;
        } catch (IllegalArgumentException e) {
            throw new WhatsminerException(WhatsminerException.BAD_RESPONSE, "get_token: " + e.getMessage(), e);
        }
    }

    /**
     * The v2 envelope: {@code STATUS} is a list (CGMiner reads) or a string beside {@code Code} and
     * {@code Msg} (the {@code get_*} commands and writes).
     */
    static void checkStatus(String what, JsonNode root) throws WhatsminerException {
        JsonNode status = root.path("STATUS");
        JsonNode envelope = status.isArray() ? status.path(0) : root;
        String code = status.isArray() ? envelope.path("STATUS").asText("") : status.asText("");
        int number = envelope.path("Code").asInt(-1);
        JsonNode msgNode = envelope.path("Msg");
        String msg = msgNode.isTextual()
                ? msgNode.asText()
                : envelope.path("Description").asText("");
        if (code.isEmpty()) {
            throw new WhatsminerException(WhatsminerException.BAD_RESPONSE, what + ": reply has no STATUS");
        }
        if (code.equals("S") || code.equals("I")) {
            return;
        }
        switch (number) {
            case CODE_PERMISSION_DENIED:
                throw new WhatsminerException(
                        WhatsminerException.NOT_PRIVILEGED,
                        what + ": permission denied (code 45: the write API is off or this client is not allowed)");
            case CODE_BAD_TOKEN:
                throw new WhatsminerException(
                        WhatsminerException.AUTH_FAILED,
                        what + ": the miner refused the token (code 135, " + msg + "): wrong admin password?");
            case CODE_TOO_MANY_TOKENS:
                throw new WhatsminerException(
                        WhatsminerException.TOO_MANY_TOKENS, what + ": too many tokens (code 136, " + msg + ")");
            default:
                boolean denied = msg.toLowerCase(Locale.ROOT).contains("access denied");
                throw new WhatsminerException(
                        denied ? WhatsminerException.NOT_PRIVILEGED : WhatsminerException.DEVICE_ERROR,
                        what + ": STATUS " + code + (number >= 0 ? ", code " + number : "") + ": " + msg);
        }
    }
}
