package io.headroom.controller.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link MarketState} as the body of the engine journal's {@code market} record, so that dwell
 * counts and strikes survive a restart:
 *
 * <pre>{"last_interval": "2026-12-01T10:05:00Z",
 *  "targets": [{"key": "model:Antminer S19", "struck": true, "above": 0, "below": 1,
 *               "since": "2026-12-01T09:50:00Z", "reason": "energy 142.0 USD/MWh above …"}]}</pre>
 */
public final class MarketStateJson {
    private MarketStateJson() {}

    public static ObjectNode toJson(MarketState state) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (state.lastInterval().isPresent()) {
            body.put("last_interval", state.lastInterval().get().toString());
        } else {
            body.putNull("last_interval");
        }
        ArrayNode targets = body.putArray("targets");
        // Sorted: the same state is always the same bytes.
        new TreeMap<>(state.targets()).forEach((key, dwell) -> {
            ObjectNode target = targets.addObject();
            target.put("key", key);
            target.put("struck", dwell.struck());
            target.put("above", dwell.above());
            target.put("below", dwell.below());
            dwell.since().ifPresent(since -> target.put("since", since.toString()));
            target.put("reason", dwell.reason());
        });
        return body;
    }

    /**
     * Reads a record written by {@link #toJson}.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static MarketState fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("market state: expected an object");
        }
        Optional<Instant> last = Optional.empty();
        JsonNode lastNode = body.get("last_interval");
        if (lastNode != null && !lastNode.isNull()) {
            last = Optional.of(instant(lastNode, "last_interval"));
        }
        JsonNode targets = body.get("targets");
        if (targets == null || !targets.isArray()) {
            throw new IllegalArgumentException("market state: targets: expected an array");
        }
        Map<String, MarketState.Dwell> out = new LinkedHashMap<>();
        for (JsonNode target : targets) {
            JsonNode key = target.get("key");
            if (key == null
                    || !key.isTextual()
                    || !(key.textValue().startsWith(Strike.Kind.MODEL.spelling() + ":")
                            || key.textValue().startsWith(Strike.Kind.CLASS.spelling() + ":"))) {
                throw new IllegalArgumentException("market state: a target's key must be model:<name> or class:<name>");
            }
            JsonNode since = target.get("since");
            out.put(
                    key.textValue(),
                    new MarketState.Dwell(
                            target.path("struck").asBoolean(false),
                            target.path("above").asInt(0),
                            target.path("below").asInt(0),
                            since == null || since.isNull() ? Optional.empty() : Optional.of(instant(since, "since")),
                            target.path("reason").asText("")));
        }
        return new MarketState(last, out);
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "market state: " + field + ": '" + node.asText() + "' is not an instant");
        }
    }
}
