package io.headroom.simulator.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.miner.BoardSnapshot;
import io.headroom.simulator.miner.MinerSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whatsminer API v2 (reference/DEVICES.md §4.3) of a {@link SimulatedWhatsminer}. Reads in the shapes of the
 * asic-rs v2 fixtures ({@code summary}, {@code devs}, {@code status}, {@code get_version}, {@code
 * get_error_code}, {@code get_miner_info}); {@code get_token} hands out tokens; writes arrive as {@code
 * {"enc":1,"data":…}} and are decrypted with the key of the admin password and the miner's salt, their
 * {@code token} checked against a live token of the client, and answered encrypted.
 *
 * <p>Codes: 131 done, 132 refused (bad value), 134 token, 135 bad token (also: an envelope that does not
 * decrypt, i.e. a wrong password), 136 too many live tokens for the client (32 by default, each living 30
 * minutes of the clock), 45 write API disabled, 14 unknown command.
 */
public final class WhatsminerV2Handler {

    static final Duration TOKEN_LIFE = Duration.ofMinutes(30);
    static final int DEFAULT_MAX_TOKENS = 32;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SALT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private record Token(String time, String newSalt, String hostSign, Instant expires) {}

    private final SimulatedWhatsminer miner;
    private final String salt;
    private final String hostPasswordMd5;
    private final SecretKeySpec key;
    private final SplittableRandom random;
    private final Map<String, List<Token>> tokens = new HashMap<>();
    private volatile boolean writeApiEnabled = true;
    private volatile int maxTokens = DEFAULT_MAX_TOKENS;
    private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int tokensIssued;

    WhatsminerV2Handler(SimulatedWhatsminer miner, String password, long seed) {
        this.miner = miner;
        this.random = new SplittableRandom(seed ^ 0x5A17L);
        this.salt = randomSalt();
        this.hostPasswordMd5 = SimCrypto.md5CryptHash(password, salt);
        this.key = SimCrypto.aesKey(hostPasswordMd5);
    }

    /** Off: get_token and writes answer code 45 (the privileged API not enabled with WhatsMinerTool). */
    public void setWriteApiEnabled(boolean enabled) {
        this.writeApiEnabled = enabled;
    }

    /** Live tokens one client may hold. */
    public void setMaxTokens(int max) {
        this.maxTokens = max;
    }

    /** Makes a read command answer an error status ({@code STATUS E}, code 14), as a firmware without it would. */
    public void setFailing(String command, boolean fail) {
        if (fail) {
            failing.add(command);
        } else {
            failing.remove(command);
        }
    }

    public synchronized int tokensIssued() {
        return tokensIssued;
    }

    private String randomSalt() {
        StringBuilder s = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            s.append(SALT_ALPHABET.charAt(random.nextInt(SALT_ALPHABET.length())));
        }
        return s.toString();
    }

    /** Answers one request; never throws. */
    String handle(String text, String client) {
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (java.io.IOException | RuntimeException e) {
            return status("E", 14, "invalid JSON").toString();
        }
        if (request == null || !request.isObject()) {
            return status("E", 14, "invalid JSON").toString();
        }
        miner.advance();
        if (request.has("enc")) {
            return write(request, client);
        }
        String command = request.path("command").asText("");
        if (failing.contains(command)) {
            return status("E", 14, "invalid cmd").toString();
        }
        MinerSnapshot s = miner.model().snapshot();
        ObjectNode reply;
        switch (command) {
            case "summary":
                reply = summary(s);
                break;
            case "devs":
                reply = devs(s);
                break;
            case "status":
                reply = msg(131, statusMsg());
                break;
            case "get_version":
                reply = msg(
                        131,
                        NODES.objectNode()
                                .put("api_ver", "2.0.5")
                                .put("fw_ver", SimulatedWhatsminer.V2_FIRMWARE)
                                .put("platform", "H616"));
                break;
            case "get_error_code":
                reply = msg(131, errorCodes());
                break;
            case "get_miner_info":
                reply = msg(
                        131,
                        NODES.objectNode()
                                .put("hostname", miner.identity().hostname())
                                .put("ledstat", miner.led())
                                .put("mac", miner.identity().macAddress().toUpperCase(Locale.ROOT)));
                break;
            case "get_token":
                return token(client).toString();
            default:
                return status("E", 14, "invalid cmd").toString();
        }
        String out = reply.toString();
        if (miner.faults().quirks()) {
            // Whatsminer's ""temp0: a string value runs into the next key without a comma.
            out = out.replace("\"Power Mode\":\"Normal\",", "\"Power Mode\":\"Normal\"\"temp0\":55.5,");
        }
        return out;
    }

    private synchronized ObjectNode token(String client) {
        if (!writeApiEnabled) {
            return status("E", 45, "Permission denied");
        }
        Instant now = miner.clock().instant();
        List<Token> live = tokens.computeIfAbsent(client, c -> new ArrayList<>());
        live.removeIf(t -> !now.isBefore(t.expires()));
        if (live.size() >= maxTokens) {
            return status("E", 136, "over max token");
        }
        String time = Long.toString(now.getEpochSecond() % 10_000);
        String newSalt = randomSalt();
        String sign = SimCrypto.md5CryptHash(hostPasswordMd5 + time, newSalt);
        live.add(new Token(time, newSalt, sign, now.plus(TOKEN_LIFE)));
        tokensIssued++;
        return msg(134, NODES.objectNode().put("time", time).put("salt", salt).put("newsalt", newSalt));
    }

    private String write(JsonNode envelope, String client) {
        if (!writeApiEnabled) {
            return status("E", 45, "Permission denied").toString();
        }
        String plain =
                envelope.path("enc").asInt(0) == 1 && envelope.path("data").isTextual()
                        ? SimCrypto.decryptOrNull(key, envelope.path("data").asText())
                        : null;
        JsonNode request = null;
        if (plain != null) {
            try {
                request = JSON.readTree(plain);
            } catch (java.io.IOException | RuntimeException e) {
                request = null;
            }
        }
        if (request == null
                || !request.isObject()
                || !liveToken(client, request.path("token").asText(""))) {
            return status("E", 135, "check token err").toString();
        }
        ObjectNode result = execute(request);
        return NODES.objectNode()
                .put("enc", SimCrypto.encrypt(key, result.toString()))
                .toString();
    }

    private synchronized boolean liveToken(String client, String sign) {
        Instant now = miner.clock().instant();
        for (Token t : tokens.getOrDefault(client, List.of())) {
            if (t.hostSign().equals(sign) && now.isBefore(t.expires())) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode execute(JsonNode request) {
        String cmd = request.path("cmd").asText("");
        switch (cmd) {
            case "power_off":
                miner.sleep();
                return status("S", 131, "Power off");
            case "power_on":
                miner.wake();
                return status("S", 131, "Power on");
            case "reboot":
                miner.reboot();
                return status("S", 131, "Reboot");
            case "adjust_power_limit": {
                double watts = number(request.path("power_limit"));
                if (!miner.acceptableLimit(watts)) {
                    return status("E", 132, "power limit out of range");
                }
                miner.adjustLimitAndReboot(watts);
                return status("S", 131, "Adjust power limit, rebooting");
            }
            case "set_power_pct": {
                double percent = number(request.path("percent"));
                if (!(percent >= 1 && percent <= 99) || percent != Math.rint(percent)) {
                    return status("E", 132, "percent out of range");
                }
                miner.setLimit(miner.nominalWatts() * percent / 100);
                return status("S", 131, "Set power percent");
            }
            case "set_led":
                if (request.path("param").asText("").equals("auto")) {
                    miner.setLed("auto");
                } else if (request.has("color") && request.has("period")) {
                    miner.setLed("manual");
                } else {
                    return status("E", 132, "invalid led parameter");
                }
                return status("S", 131, "Set led");
            default:
                return status("E", 14, "invalid cmd");
        }
    }

    private static double number(JsonNode node) {
        try {
            return Double.parseDouble(node.asText(""));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private ObjectNode summary(MinerSnapshot s) {
        ObjectNode reply = NODES.objectNode();
        reply.set("STATUS", NODES.arrayNode().add(statusEntry("S", 11, "Summary")));
        ObjectNode m = NODES.objectNode();
        long elapsed = s.uptime().toSeconds();
        m.put("Elapsed", elapsed);
        m.put("MHS av", round(elapsed > 0 ? s.workTerahashes() / elapsed * 1e6 : 0));
        m.put("MHS 1m", round(s.averages().oneMinuteThs() * 1e6));
        m.put("HS RT", round(s.hashrateThs() * 1e6));
        m.put("Factory GHS", Math.round(miner.model().spec().nameplateThs() * 1000));
        m.put("Power", Math.round(s.powerWatts()));
        m.put("Power Limit", Math.round(miner.limitWatts()));
        m.put("Power Mode", "Normal");
        m.put("Env Temp", s.inletTempC());
        m.put("Chip Temp Max", (double) s.maxChipTempC());
        List<Integer> fans = s.fanRpms();
        m.put("Fan Speed In", fans.get(0));
        m.put("Fan Speed Out", fans.size() > 1 ? fans.get(1) : fans.get(0));
        m.put("MAC", miner.identity().macAddress().toUpperCase(Locale.ROOT));
        m.put("Uptime", elapsed);
        reply.set("SUMMARY", NODES.arrayNode().add(m));
        reply.put("id", 1);
        return reply;
    }

    private ObjectNode devs(MinerSnapshot s) {
        ObjectNode reply = NODES.objectNode();
        ArrayNode list = NODES.arrayNode();
        for (BoardSnapshot b : s.boards()) {
            ObjectNode d = list.addObject();
            d.put("ASC", b.index()).put("Slot", b.index()).put("Name", "SM").put("ID", b.index());
            d.put("Enabled", "Y").put("Status", "Alive");
            d.put("Temperature", (double) b.maxPcbTempC());
            d.put("Chip Temp Max", (double) b.maxChipTempC());
            d.put("Chip Temp Min", (double) java.util.Collections.min(b.chipTempsC()));
            d.put("MHS 1m", round(b.hashrateThs() * 1e6));
            d.put("MHS av", round(b.hashrateThs() * 1e6));
            d.put("Effective Chips", miner.model().spec().chipsPerBoard());
            d.put("PCB SN", miner.identity().serialNumber() + b.index());
        }
        reply.set("DEVS", list);
        reply.set("STATUS", NODES.arrayNode().add(statusEntry("S", 9, s.boards().size() + " ASC(s)")));
        reply.put("id", 1);
        return reply;
    }

    private ObjectNode statusMsg() {
        return NODES.objectNode()
                .put("FirmwareVersion", SimulatedWhatsminer.V2_FIRMWARE)
                .put("mineroff", Boolean.toString(miner.asleep()))
                .put("mineroff_reason", "")
                .put("mineroff_time", "")
                .put("power_limit_set", Long.toString(Math.round(miner.limitWatts())))
                .put("power_mode", "normal");
    }

    private ObjectNode errorCodes() {
        ArrayNode list = NODES.arrayNode();
        for (String[] code : miner.errorCodes()) {
            list.addObject().put(code[0], code[1]);
        }
        ObjectNode msg = NODES.objectNode();
        msg.set("error_code", list);
        return msg;
    }

    private ObjectNode msg(int code, JsonNode msg) {
        ObjectNode reply = NODES.objectNode();
        reply.put("STATUS", "S")
                .put("When", miner.clock().instant().getEpochSecond())
                .put("Code", code);
        reply.set("Msg", msg);
        reply.put("Description", "");
        return reply;
    }

    private ObjectNode status(String status, int code, String msg) {
        return NODES.objectNode()
                .put("STATUS", status)
                .put("When", miner.clock().instant().getEpochSecond())
                .put("Code", code)
                .put("Msg", msg)
                .put("Description", "");
    }

    private ObjectNode statusEntry(String status, int code, String msg) {
        return NODES.objectNode()
                .put("STATUS", status)
                .put("When", miner.clock().instant().getEpochSecond())
                .put("Code", code)
                .put("Msg", msg)
                .put("Description", "btminer");
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
