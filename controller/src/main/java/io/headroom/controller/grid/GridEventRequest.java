package io.headroom.controller.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A validated request for a grid event: the body of {@code POST /api/v1/grid-events}, or one window
 * of the {@code grid-schedule} in {@code site.yaml}.
 *
 * @param target the site target or the reduction asked for
 * @param start when the event starts
 * @param end when it ends; after {@code start}, at most {@link #MAX_DURATION} later
 * @param rampSeconds the deadline to reach the target, from the start; shorter than the event
 * @param priority {@code normal} ramps, {@code emergency} applies the target at once
 * @param source who sends events like this one, e.g. {@code api}, {@code schedule}, a utility's name
 * @param reference the source's own name for the event; the same (source, reference) updates the
 *     event instead of adding one; null when the source gives none
 */
public record GridEventRequest(
        RequestedTarget target,
        Instant start,
        Instant end,
        int rampSeconds,
        GridEventPriority priority,
        String source,
        @Nullable String reference) {

    /** The JSON fields a request may have. */
    public static final List<String> FIELDS = List.of(
            "target_kw",
            "reduce_kw",
            "reduce_percent",
            "start",
            "end",
            "ramp_seconds",
            "priority",
            "source",
            "reference");

    public static final int DEFAULT_RAMP_SECONDS = 300;
    public static final int MAX_RAMP_SECONDS = 86_400;
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    /** How far ahead an event may start. */
    public static final Duration MAX_LEAD = Duration.ofDays(366);
    /** 1 GW: no site is larger, and a bound keeps 1e308 out of the arithmetic. */
    public static final double MAX_KW = 1_000_000;

    public static final String DEFAULT_SOURCE = "api";
    public static final int MAX_SOURCE_CHARS = 64;
    public static final int MAX_REFERENCE_CHARS = 128;
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    public GridEventRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(source, "source");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end: must be after start");
        }
        if (rampSeconds < 0 || rampSeconds > MAX_RAMP_SECONDS) {
            throw new IllegalArgumentException("ramp_seconds: out of range: " + rampSeconds);
        }
    }

    /** When the target must be reached: {@code start + ramp_seconds}. */
    public Instant deadline() {
        return start.plusSeconds(rampSeconds);
    }

    /**
     * Validates a JSON body, reporting every problem at once.
     *
     * @param body the request body
     * @param now the controller's time: the default start, and what {@code end} must be after
     * @throws GridEventException with reason {@link GridEventException.Reason#INVALID} and one
     *     message per problem, each naming its field
     */
    public static GridEventRequest parse(JsonNode body, Instant now) {
        if (!(body instanceof ObjectNode)) {
            throw GridEventException.invalid(List.of(
                    "body: must be a JSON object like {\"target_kw\": 500, \"end\": " + "\"2026-12-01T18:00:00Z\"}"));
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(name + ": unknown field; known fields: " + String.join(", ", FIELDS));
            }
        }
        List<RequestedTarget> targets = new ArrayList<>();
        for (RequestedTarget.Kind kind : RequestedTarget.Kind.values()) {
            Double value = number(body, kind.field(), problems);
            if (value == null) {
                continue;
            }
            double max = kind == RequestedTarget.Kind.REDUCE_PERCENT ? 100 : MAX_KW;
            String range = kind == RequestedTarget.Kind.REDUCE_PERCENT ? "(0, 100]" : "(0, " + (long) MAX_KW + "] kW";
            if (value <= 0 || value > max) {
                problems.add(kind.field() + ": must be in " + range + ", got " + text(body.get(kind.field())));
            } else {
                targets.add(new RequestedTarget(kind, value));
            }
        }
        int given = 0;
        for (RequestedTarget.Kind kind : RequestedTarget.Kind.values()) {
            given += absent(body, kind.field()) ? 0 : 1;
        }
        if (given == 0) {
            problems.add("target_kw, reduce_kw or reduce_percent: exactly one is required");
        } else if (given > 1) {
            problems.add("target_kw, reduce_kw, reduce_percent: give exactly one, not " + given);
        }
        Instant start = time(body, "start", problems);
        boolean startGiven = start != null;
        if (start == null) {
            start = now;
        } else if (start.isAfter(now.plus(MAX_LEAD))) {
            problems.add("start: at most " + MAX_LEAD.toDays() + " days ahead, got " + start);
        }
        Instant end = time(body, "end", problems);
        if (end == null && absent(body, "end")) {
            problems.add("end: required, an ISO-8601 time like 2026-12-01T18:00:00Z");
        }
        boolean window = false;
        if (end != null) {
            if (!end.isAfter(start)) {
                problems.add("end: must be after start (" + start + "), got " + end);
            } else if (!end.isAfter(now)) {
                problems.add("end: must be in the future (now is " + now + "), got " + end);
            } else if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
                problems.add("end: at most " + MAX_DURATION.toDays() + " days after start, got "
                        + spell(Duration.between(start, end)));
            } else {
                window = true;
            }
        }
        int ramp = DEFAULT_RAMP_SECONDS;
        Double rampValue = number(body, "ramp_seconds", problems);
        if (rampValue != null) {
            if (rampValue != Math.rint(rampValue) || rampValue < 0 || rampValue > MAX_RAMP_SECONDS) {
                problems.add("ramp_seconds: must be a whole number in 0.." + MAX_RAMP_SECONDS + ", got "
                        + text(body.get("ramp_seconds")));
                window = false;
            } else {
                ramp = rampValue.intValue();
            }
        }
        if (window && end != null && ramp >= Duration.between(start, end).toSeconds()) {
            problems.add("ramp_seconds: must be shorter than the event ("
                    + Duration.between(start, end).toSeconds() + " s from " + (startGiven ? "start" : "now")
                    + " to end), got " + ramp);
        }
        GridEventPriority priority = GridEventPriority.NORMAL;
        String priorityText = string(body, "priority", problems);
        if (priorityText != null) {
            var parsed = GridEventPriority.parse(priorityText);
            if (parsed.isPresent()) {
                priority = parsed.get();
            } else {
                problems.add("priority: must be normal or emergency, got '" + clip(priorityText) + "'");
            }
        }
        String source = DEFAULT_SOURCE;
        String sourceText = string(body, "source", problems);
        if (sourceText != null) {
            if (sourceText.length() > MAX_SOURCE_CHARS
                    || !SOURCE.matcher(sourceText).matches()) {
                problems.add("source: 1.." + MAX_SOURCE_CHARS
                        + " letters, digits and . _ : - (starting with a letter or digit), got '" + clip(sourceText)
                        + "'");
            } else {
                source = sourceText;
            }
        }
        String reference = string(body, "reference", problems);
        if (reference != null) {
            String problem = referenceProblem(reference);
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw GridEventException.invalid(problems);
        }
        return new GridEventRequest(
                targets.get(0), start, Objects.requireNonNull(end), ramp, priority, source, reference);
    }

    /** Why {@code reference} is not acceptable, or null when it is. */
    static @Nullable String referenceProblem(String reference) {
        if (reference.isEmpty() || reference.length() > MAX_REFERENCE_CHARS) {
            return "reference: 1.." + MAX_REFERENCE_CHARS + " characters, got " + reference.length();
        }
        for (int i = 0; i < reference.length(); i++) {
            if (Character.isISOControl(reference.charAt(i))) {
                return "reference: must not contain control characters";
            }
        }
        return null;
    }

    private static boolean absent(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull();
    }

    private static @Nullable Double number(JsonNode body, String field, List<String> problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            problems.add(field + ": must be a number, got " + kindOf(node));
            return null;
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            problems.add(field + ": must be a finite number, got " + text(node));
            return null;
        }
        return value;
    }

    private static @Nullable String string(JsonNode body, String field, List<String> problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(field + ": must be a string, got " + kindOf(node));
            return null;
        }
        return node.asText();
    }

    private static @Nullable Instant time(JsonNode body, String field, List<String> problems) {
        String text = string(body, field, problems);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field + ": must be an ISO-8601 time with an offset, like 2026-12-01T16:00:00Z or "
                    + "2026-12-01T10:00:00-06:00, got '" + clip(text) + "'");
            return null;
        }
    }

    private static String kindOf(JsonNode node) {
        return node.isTextual()
                ? "the string '" + clip(node.asText()) + "'"
                : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String text(@Nullable JsonNode node) {
        return node == null ? "nothing" : clip(node.asText());
    }

    private static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static String spell(Duration duration) {
        long hours = duration.toHours();
        return hours >= 48 ? duration.toDays() + " days" : hours + " h";
    }
}
