package io.headroom.controller.grid.signal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a grid signal payload: one UTF-8 JSON object of at most {@link #MAX_BYTES} bytes,
 *
 * <pre>{"target_percent": 60, "timestamp": "2026-12-01T14:00:00Z", "id": "optional-signal-id"}</pre>
 *
 * <p>{@code target_percent} is a JSON number from 0 to 100 (fractions allowed); {@code timestamp}
 * an ISO-8601 date-time with an offset ({@code Z} or {@code +01:00}); {@code id}, optional, a
 * string of 1 to {@link #MAX_ID_LENGTH} characters without control characters. Nothing else: an
 * unknown key, a duplicate key, a second value after the object or a wrong type is refused rather
 * than guessed at, because a grid signal that is misread can shed or restore a whole site.
 */
public final class GridSignalPayload {
    /** The largest payload accepted, in bytes. */
    public static final int MAX_BYTES = 1024;

    public static final int MAX_ID_LENGTH = 128;

    static final String TARGET_PERCENT = "target_percent";
    static final String TIMESTAMP = "timestamp";
    static final String ID = "id";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private GridSignalPayload() {}

    /** A payload that is not a valid grid signal. */
    public static final class InvalidSignalException extends Exception {
        private static final long serialVersionUID = 1L;

        private final DropReason reason;
        private final String detail;

        InvalidSignalException(DropReason reason, String detail) {
            super(detail);
            this.reason = reason;
            this.detail = detail;
        }

        public DropReason reason() {
            return reason;
        }

        /** What was wrong, quoting the payload only shortened and without control characters. */
        public String detail() {
            return detail;
        }
    }

    /**
     * Parses {@code payload} (read from its position to its limit; the buffer is not changed).
     *
     * @throws InvalidSignalException naming the reason and what was wrong
     */
    public static GridSignal parse(ByteBuffer payload) throws InvalidSignalException {
        if (payload.remaining() > MAX_BYTES) {
            throw new InvalidSignalException(
                    DropReason.TOO_LARGE, payload.remaining() + " bytes, more than the " + MAX_BYTES + " allowed");
        }
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(payload.duplicate());
            text = chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSignalException(DropReason.MALFORMED, "not UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSignalException(DropReason.MALFORMED, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSignalException(
                    DropReason.MALFORMED,
                    "expected one JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String key = entry.getKey();
            if (!key.equals(TARGET_PERCENT) && !key.equals(TIMESTAMP) && !key.equals(ID)) {
                throw new InvalidSignalException(
                        DropReason.UNKNOWN_KEY,
                        "unknown key '" + shorten(key) + "'; expected " + TARGET_PERCENT + ", " + TIMESTAMP
                                + " and optionally " + ID);
            }
        }
        return new GridSignal(percent(root.get(TARGET_PERCENT)), timestamp(root.get(TIMESTAMP)), id(root.get(ID)));
    }

    private static double percent(JsonNode node) throws InvalidSignalException {
        if (node == null) {
            throw new InvalidSignalException(DropReason.MISSING_KEY, TARGET_PERCENT + ": missing");
        }
        if (!node.isNumber()) {
            throw new InvalidSignalException(
                    DropReason.WRONG_TYPE, TARGET_PERCENT + ": expected a number, found " + node.getNodeType());
        }
        double percent = node.doubleValue();
        if (!(percent >= 0 && percent <= GridSignal.NO_CURTAILMENT)) {
            throw new InvalidSignalException(
                    DropReason.OUT_OF_RANGE, TARGET_PERCENT + ": " + shorten(node.asText()) + " is not within 0..100");
        }
        return percent;
    }

    private static Instant timestamp(JsonNode node) throws InvalidSignalException {
        if (node == null) {
            throw new InvalidSignalException(DropReason.MISSING_KEY, TIMESTAMP + ": missing");
        }
        if (!node.isTextual()) {
            throw new InvalidSignalException(
                    DropReason.WRONG_TYPE,
                    TIMESTAMP + ": expected an ISO-8601 string like 2026-12-01T14:00:00Z, found " + node.getNodeType());
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidSignalException(
                    DropReason.BAD_TIMESTAMP,
                    TIMESTAMP + ": '" + shorten(node.textValue())
                            + "' is not an ISO-8601 date-time with an offset, like 2026-12-01T14:00:00Z");
        }
    }

    private static Optional<String> id(JsonNode node) throws InvalidSignalException {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidSignalException(
                    DropReason.WRONG_TYPE, ID + ": expected a string, found " + node.getNodeType());
        }
        String id = node.textValue();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new InvalidSignalException(
                    DropReason.OUT_OF_RANGE, ID + ": must be 1 to " + MAX_ID_LENGTH + " characters, is " + id.length());
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSignalException(DropReason.OUT_OF_RANGE, ID + ": contains a control character");
        }
        return Optional.of(id);
    }

    /** Quotes of client text in messages are bounded and free of control characters (log injection). */
    private static String shorten(String text) {
        String clean = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.length() <= 40 ? clean : clean.substring(0, 40) + "…";
    }
}
