package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A successful CGMiner reply: repaired, parsed and with its {@code STATUS} envelope checked
 * (reference/DEVICES.md §4.1: {@code S} and {@code I} are success; {@code E}, {@code F} and
 * {@code W} are errors with a {@code Msg}; code 45 / "Access denied" means not privileged).
 *
 * @param command the command that was sent
 * @param root the whole reply object
 * @param truncated the reply ended early and its last incomplete member was dropped
 */
public record CgminerReply(String command, JsonNode root, boolean truncated) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Commands whose section is not their own name in capitals: Avalon's extended stats answer in STATS. */
    private static final Map<String, String> SECTIONS = Map.of("estats", "STATS", "litestats", "STATS");

    public CgminerReply {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(root, "root");
    }

    /**
     * Checks that a read reply carries its data section, named after the command in capitals
     * ({@code stats} → {@code STATS}; Avalon's {@code estats} → {@code STATS} too), as a non-empty list: a success status alone is not data.
     *
     * @throws CgminerException {@code bad-response} when the section is missing or empty
     */
    CgminerReply requireSection() throws CgminerException {
        String section = SECTIONS.getOrDefault(command, command.toUpperCase(Locale.ROOT));
        JsonNode node = root.get(section);
        if (node == null || !node.isArray() || node.isEmpty() || !node.get(0).isObject()) {
            throw new CgminerException(
                    CgminerException.BAD_RESPONSE, command + ": reply has no " + section + " list of objects");
        }
        return this;
    }

    /**
     * Parses the raw reply to {@code command}.
     *
     * @throws CgminerException {@code bad-response} for anything unreadable, {@code device-error}
     *     or {@code not-privileged} when the firmware reports an error
     */
    static CgminerReply parse(String command, String raw) throws CgminerException {
        return parse(command, raw, List.of());
    }

    /**
     * As {@link #parse(String, String)}, with further {@code STATUS} texts that mean success (Avalon's
     * {@code restart} answers {@code {"STATUS":"RESTART"}}, with no envelope list).
     */
    static CgminerReply parse(String command, String raw, List<String> alsoSuccess) throws CgminerException {
        CgminerJson.Repaired repaired = CgminerJson.repairDetailed(raw);
        JsonNode root;
        try {
            root = JSON.readTree(repaired.json());
        } catch (JsonProcessingException e) {
            throw new CgminerException(
                    CgminerException.BAD_RESPONSE, command + ": reply is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CgminerException(CgminerException.BAD_RESPONSE, command + ": reply is not a JSON object");
        }
        JsonNode status = root.path("STATUS");
        JsonNode envelope = status.isArray() ? status.path(0) : root;
        String code = status.isArray() ? envelope.path("STATUS").asText("") : status.asText("");
        if (code.isEmpty()) {
            if (!repaired.truncated()) {
                throw new CgminerException(CgminerException.BAD_RESPONSE, command + ": reply has no STATUS");
            }
            // A truncated reply may have lost its STATUS; what survived is kept and flagged.
            return new CgminerReply(command, root, true);
        }
        if (alsoSuccess.contains(code)) {
            return new CgminerReply(command, root, repaired.truncated());
        }
        switch (code) {
            case "S":
            case "I":
                return new CgminerReply(command, root, repaired.truncated());
            default:
                String msg =
                        envelope.path("Msg").asText(envelope.path("Description").asText(""));
                if (envelope.path("Code").asInt(-1) == 45
                        || msg.toLowerCase(Locale.ROOT).contains("access denied")) {
                    throw new CgminerException(
                            CgminerException.NOT_PRIVILEGED, command + ": not privileged (" + msg + ")");
                }
                throw new CgminerException(CgminerException.DEVICE_ERROR, command + ": STATUS " + code + ": " + msg);
        }
    }
}
