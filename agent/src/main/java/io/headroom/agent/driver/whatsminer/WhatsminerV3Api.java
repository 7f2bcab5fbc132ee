package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Locale;

/**
 * Whatsminer API v3 on TCP 4433 (reference/DEVICES.md §4.3): one length-prefixed JSON frame each way
 * per connection. Replies carry {@code code} (0 is success) and {@code msg}.
 *
 * <p>A {@code set.*} command carries {@code ts} (Unix seconds, from the agent's wall clock),
 * {@code account} and {@code token}, the first 8 characters of base64(sha256(cmd + password + salt +
 * ts)). The salt comes from {@code get.device.info} with param {@code salt} and is kept; when the miner
 * refuses a token (a reply whose {@code msg} speaks of the token) the salt is read again once and the
 * command sent once more, since a restarted miner may have a new salt.
 */
final class WhatsminerV3Api {

    /** The account v3 writes are made as. */
    static final String ACCOUNT = "super";

    private final WhatsminerTransport transport;
    private final int port;
    private final Clock wallClock;
    private String salt;
    private int saltsRead;

    WhatsminerV3Api(WhatsminerTransport transport, int port, Clock wallClock) {
        this.transport = transport;
        this.port = port;
        this.wallClock = wallClock;
    }

    int saltsRead() {
        return saltsRead;
    }

    /** Sends {@code {"cmd":…,"param":…}} (no param when null) and checks {@code code}. */
    JsonNode read(String cmd, String param) throws WhatsminerException, InterruptedException {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("cmd", cmd);
        if (param != null) {
            request.put("param", param);
        }
        String what = param == null ? cmd : cmd + " " + param;
        return check(what, WhatsminerJson.parseStrict(what, transport.exchangeV3(port, what, request.toString())));
    }

    /** Sends a {@code set.*} command with its token; {@code param} may be null. */
    JsonNode write(String cmd, JsonNode param, char[] password) throws WhatsminerException, InterruptedException {
        boolean fresh = false;
        if (salt == null) {
            salt = readSalt();
            fresh = true;
        }
        try {
            return sendSigned(cmd, param, password);
        } catch (WhatsminerException e) {
            if (!e.reason().equals(WhatsminerException.AUTH_FAILED) || fresh) {
                throw e;
            }
            salt = readSalt();
            return sendSigned(cmd, param, password);
        }
    }

    private JsonNode sendSigned(String cmd, JsonNode param, char[] password)
            throws WhatsminerException, InterruptedException {
        long ts = wallClock.instant().getEpochSecond();
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("cmd", cmd);
        if (param != null) {
            request.set("param", param);
        }
        request.put("ts", ts);
        request.put("account", ACCOUNT);
        request.put("token", WhatsminerCrypto.v3Token(cmd, password, salt, ts));
        return check(cmd, WhatsminerJson.parseStrict(cmd, transport.exchangeV3(port, cmd, request.toString())));
    }

    private String readSalt() throws WhatsminerException, InterruptedException {
        JsonNode reply = read("get.device.info", "salt");
        saltsRead++;
        String value = reply.path("msg").path("salt").asText("");
        if (value.isEmpty()) {
            throw new WhatsminerException(
                    WhatsminerException.BAD_RESPONSE, "get.device.info salt: reply has no msg.salt");
        }
        return value;
    }

    static JsonNode check(String what, JsonNode root) throws WhatsminerException {
        JsonNode code = root.get("code");
        if (code == null || !code.canConvertToInt()) {
            throw new WhatsminerException(WhatsminerException.BAD_RESPONSE, what + ": reply has no code");
        }
        if (code.asInt() == 0) {
            return root;
        }
        JsonNode msgNode = root.path("msg");
        String msg = msgNode.isTextual() ? msgNode.asText() : msgNode.toString();
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("token")) {
            throw new WhatsminerException(
                    WhatsminerException.AUTH_FAILED,
                    what + ": the miner refused the token (code " + code.asInt() + ", " + msg + "): wrong password?");
        }
        if (lower.contains("permission") || lower.contains("denied")) {
            throw new WhatsminerException(
                    WhatsminerException.NOT_PRIVILEGED, what + ": code " + code.asInt() + ": " + msg);
        }
        throw new WhatsminerException(WhatsminerException.DEVICE_ERROR, what + ": code " + code.asInt() + ": " + msg);
    }
}
