package io.headroom.controller.market;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Parses one price published on {@code headroom/v1/<site>/market/<input>}: a UTF-8 JSON object,
 *
 * <pre>{"time": "2026-12-01T10:00:00Z", "value": 42.5, "unit": "USD/MWh"}</pre>
 *
 * <p>{@code time} is when the price starts to apply: an ISO-8601 string with an offset, or a
 * number of epoch seconds; {@code value} a JSON number in the input's unit; {@code unit},
 * optional, must then be exactly the input's unit (a feed that says {@code USD/kWh} on an input in
 * {@code USD/MWh} is a thousandfold mistake, refused rather than guessed at). Nothing else: an
 * unknown key, a duplicate key or anything after the object is refused, because a misread price
 * strikes or frees whole models.
 */
public final class MqttPricePayload {
    static final String TIME = "time";
    static final String VALUE = "value";
    static final String UNIT = "unit";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private MqttPricePayload() {}

    /** A payload that is not a valid price. */
    public static final class InvalidPriceException extends Exception {
        private static final long serialVersionUID = 1L;

        private final PriceDropReason reason;

        InvalidPriceException(PriceDropReason reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        public PriceDropReason reason() {
            return reason;
        }
    }

    /**
     * Parses {@code payload} (from its position to its limit; the buffer is not changed).
     *
     * @param maxBytes larger payloads are refused unread
     * @param unit the input's unit, which a {@code unit} key must equal
     * @throws InvalidPriceException naming the reason and what was wrong
     */
    public static PricePoint parse(ByteBuffer payload, long maxBytes, String unit) throws InvalidPriceException {
        Objects.requireNonNull(unit, "unit");
        if (payload.remaining() > maxBytes) {
            throw new InvalidPriceException(
                    PriceDropReason.TOO_LARGE, payload.remaining() + " bytes, more than the " + maxBytes + " allowed");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(payload.duplicate())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPriceException(PriceDropReason.MALFORMED, "not UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidPriceException(
                    PriceDropReason.MALFORMED, "not JSON: " + PriceTimes.clip(String.valueOf(e.getOriginalMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPriceException(
                    PriceDropReason.MALFORMED,
                    "expected one JSON object like {\"time\": \"2026-12-01T10:00:00Z\", \"value\": 42.5}, found "
                            + (root == null ? "nothing" : root.getNodeType()));
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String key = entry.getKey();
            if (!key.equals(TIME) && !key.equals(VALUE) && !key.equals(UNIT)) {
                throw new InvalidPriceException(
                        PriceDropReason.UNKNOWN_KEY,
                        "unknown key '" + printable(key) + "'; expected " + TIME + ", " + VALUE + " and optionally "
                                + UNIT);
            }
        }
        JsonNode said = root.get(UNIT);
        if (said != null) {
            if (!said.isTextual()) {
                throw new InvalidPriceException(
                        PriceDropReason.WRONG_TYPE, UNIT + ": expected a string, found " + said.getNodeType());
            }
            if (!said.textValue().equals(unit)) {
                throw new InvalidPriceException(
                        PriceDropReason.WRONG_UNIT,
                        UNIT + ": '" + printable(said.textValue()) + "', but this input is in " + unit);
            }
        }
        return new PricePoint(time(root.get(TIME)), value(root.get(VALUE)));
    }

    private static Instant time(JsonNode node) throws InvalidPriceException {
        if (node == null) {
            throw new InvalidPriceException(PriceDropReason.MISSING_KEY, TIME + ": missing");
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw new InvalidPriceException(
                    PriceDropReason.WRONG_TYPE,
                    TIME + ": expected an ISO-8601 string or epoch seconds, found " + node.getNodeType());
        }
        try {
            // A number too large for a double (1e400) reads as infinite, and has no decimal value.
            String text =
                    node.isTextual() ? node.textValue() : node.decimalValue().toPlainString();
            return PriceTimes.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidPriceException(
                    PriceDropReason.BAD_TIME, TIME + ": " + printable(String.valueOf(e.getMessage())));
        }
    }

    private static double value(JsonNode node) throws InvalidPriceException {
        if (node == null) {
            throw new InvalidPriceException(PriceDropReason.MISSING_KEY, VALUE + ": missing");
        }
        if (!node.isNumber()) {
            throw new InvalidPriceException(
                    PriceDropReason.WRONG_TYPE, VALUE + ": expected a number, found " + node.getNodeType());
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new InvalidPriceException(
                    PriceDropReason.OUT_OF_RANGE,
                    VALUE + ": " + PriceTimes.clip(node.asText()) + " is not a finite number");
        }
        return value;
    }

    /** At most 40 characters, control characters replaced: safe to log. */
    static String printable(String text) {
        String clipped = PriceTimes.clip(String.valueOf(text));
        StringBuilder out = new StringBuilder(clipped.length());
        clipped.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
