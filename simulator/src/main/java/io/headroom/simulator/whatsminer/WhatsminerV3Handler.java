package io.headroom.simulator.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.MinerSnapshot;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Whatsminer API v3 (reference/DEVICES.md §4.3) of a {@link SimulatedWhatsminer}: one JSON frame in, one
 * out, in the shapes of the asic-rs v3 fixtures. {@code set.*} commands must carry {@code account:"super"},
 * a {@code ts} within {@link #MAX_TS_SKEW_S} seconds of the clock and {@code token} = the first 8 characters
 * of base64(sha256(cmd + password + salt + ts)), the salt being what {@code get.device.info salt} answers.
 *
 * <p>Codes (the simulator's choice; no capture of v3 errors was available): 0 success, -1 unknown command,
 * -2 invalid parameter or frame, -3 "invalid token" (wrong token, account or stale {@code ts}).
 */
public final class WhatsminerV3Handler {

    /** How far a {@code set.*} command's {@code ts} may be from the miner's clock. */
    static final long MAX_TS_SKEW_S = 120;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SALT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SimulatedWhatsminer miner;
    private final String password;
    private final SplittableRandom random;
    private volatile String salt;

    WhatsminerV3Handler(SimulatedWhatsminer miner, String password, long seed) {
        this.miner = miner;
        this.password = password;
        this.random = new SplittableRandom(seed ^ 0x3A17L);
        this.salt = newSalt();
    }

    public String salt() {
        return salt;
    }

    /** A new salt, as after a firmware restart: tokens made with the old one are refused. */
    public synchronized void rotateSalt() {
        salt = newSalt();
    }

    private synchronized String newSalt() {
        StringBuilder s = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            s.append(SALT_ALPHABET.charAt(random.nextInt(SALT_ALPHABET.length())));
        }
        return s.toString();
    }

    /** Answers one frame's JSON; never throws. */
    String handle(String text) {
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (java.io.IOException | RuntimeException e) {
            return error(-2, "invalid json");
        }
        if (request == null || !request.isObject() || !request.path("cmd").isTextual()) {
            return error(-2, "invalid json");
        }
        miner.advance();
        String cmd = request.path("cmd").asText();
        JsonNode param = request.path("param");
        if (cmd.startsWith("set.")) {
            if (!tokenValid(cmd, request)) {
                return error(-3, "invalid token");
            }
            return set(cmd, param);
        }
        MinerSnapshot s = miner.model().snapshot();
        switch (cmd) {
            case "get.device.info":
                if (param.asText("").equals("salt")) {
                    return ok(cmd, NODES.objectNode().put("salt", salt));
                }
                return ok(cmd, deviceInfo(s));
            case "get.miner.status":
                if (param.asText("").equals("summary")) {
                    ObjectNode msg = NODES.objectNode();
                    msg.set("summary", summary(s));
                    return ok(cmd, msg);
                }
                if (param.asText("").equals("edevs")) {
                    ObjectNode msg = NODES.objectNode();
                    msg.set("edevs", edevs(s));
                    return ok(cmd, msg);
                }
                return error(-2, "invalid param");
            default:
                return error(-1, "invalid command");
        }
    }

    private boolean tokenValid(String cmd, JsonNode request) {
        if (!request.path("account").asText("").equals("super")
                || !request.path("ts").canConvertToLong()) {
            return false;
        }
        long ts = request.path("ts").asLong();
        long now = miner.clock().instant().getEpochSecond();
        if (Math.abs(now - ts) > MAX_TS_SKEW_S) {
            return false;
        }
        return SimCrypto.v3Token(cmd, password, salt, ts)
                .equals(request.path("token").asText(""));
    }

    private String set(String cmd, JsonNode param) {
        switch (cmd) {
            case "set.miner.service":
                if (param.asText("").equals("stop")) {
                    miner.sleep();
                } else if (param.asText("").equals("start")) {
                    miner.wake();
                } else if (param.asText("").equals("restart")) {
                    miner.reboot();
                } else {
                    return error(-2, "invalid param");
                }
                return ok(cmd, NODES.textNode("ok"));
            case "set.miner.power_limit":
                if (!param.isIntegralNumber() || !miner.acceptableLimit(param.asDouble())) {
                    return error(-2, "invalid param");
                }
                miner.setLimit(param.asDouble());
                return ok(cmd, NODES.textNode("ok"));
            case "set.system.reboot":
                miner.reboot();
                return ok(cmd, NODES.textNode("ok"));
            case "set.system.led":
                if (param.isTextual() && param.asText().equals("auto")) {
                    miner.setLed("auto");
                } else if (param.isArray() && !param.isEmpty() && param.get(0).has("color")) {
                    miner.setLed("manual");
                } else {
                    return error(-2, "invalid param");
                }
                return ok(cmd, NODES.textNode("ok"));
            default:
                return error(-1, "invalid command");
        }
    }

    private ObjectNode deviceInfo(MinerSnapshot s) {
        ObjectNode msg = NODES.objectNode();
        ObjectNode m = msg.putObject("miner");
        m.put("board-num", Integer.toString(s.boards().size()));
        m.put("miner-sn", miner.identity().serialNumber());
        m.put("type", "M30S++_VH40");
        m.put("working", Boolean.toString(!miner.asleep()));
        ObjectNode network = msg.putObject("network");
        network.put("hostname", miner.identity().hostname());
        network.put("mac", miner.identity().macAddress().toUpperCase(java.util.Locale.ROOT));
        ObjectNode power = msg.putObject("power");
        power.put("fanspeed", s.fanRpms().get(0));
        power.put("model", "P221B");
        ObjectNode system = msg.putObject("system");
        system.put("api", "3.0.2");
        system.put("fwversion", SimulatedWhatsminer.V3_FIRMWARE);
        system.put("ledstatus", miner.led());
        system.put("platform", "H616");
        List<String[]> codes = miner.errorCodes();
        if (!codes.isEmpty()) {
            ArrayNode list = msg.putArray("error-code");
            for (String[] code : codes) {
                list.addObject().put(code[0], code[1]).put("reason", code.length > 2 ? code[2] : "");
            }
        }
        return msg;
    }

    private ObjectNode summary(MinerSnapshot s) {
        ObjectNode m = NODES.objectNode();
        ArrayNode boards = m.putArray("board-temperature");
        for (BoardSnapshot b : s.boards()) {
            boards.add((double) b.maxPcbTempC());
        }
        m.put("chip-temp-max", (double) s.maxChipTempC());
        m.put("elapsed", s.uptime().toSeconds());
        m.put("environment-temperature", s.inletTempC());
        m.put("factory-hash", miner.model().spec().nameplateThs());
        List<Integer> fans = s.fanRpms();
        m.put("fan-speed-in", fans.get(0));
        m.put("fan-speed-out", fans.size() > 1 ? fans.get(1) : fans.get(0));
        m.put("hash-1min", round(s.averages().oneMinuteThs()));
        m.put("hash-realtime", round(s.hashrateThs()));
        m.put("power-limit", Math.round(miner.limitWatts()));
        m.put("power-realtime", (double) Math.round(s.powerWatts()));
        return m;
    }

    private ArrayNode edevs(MinerSnapshot s) {
        ArrayNode list = NODES.arrayNode();
        for (BoardSnapshot b : s.boards()) {
            list.addObject()
                    .put("id", b.index())
                    .put("chip-temp-max", (double) b.maxChipTempC())
                    .put("effective-chips", miner.model().spec().chipsPerBoard())
                    .put("hash-realtime", round(b.hashrateThs()))
                    .put("status", "alive");
        }
        return list;
    }

    private String ok(String cmd, JsonNode msg) {
        ObjectNode reply = NODES.objectNode().put("code", 0).put("desc", cmd);
        reply.set("msg", msg);
        reply.put("when", miner.clock().instant().getEpochSecond());
        return reply.toString();
    }

    private String error(int code, String msg) {
        return NODES.objectNode()
                .put("code", code)
                .put("msg", msg)
                .put("when", miner.clock().instant().getEpochSecond())
                .toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
