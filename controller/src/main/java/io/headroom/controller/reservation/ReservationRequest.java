package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the AI side asks for: {@code kw} free in {@code scope} from {@code start} to {@code end},
 * freed {@code lead} ahead of the start. A request with the {@code reference} of an open
 * reservation is the same request again (idempotent).
 *
 * @param priority 0–100, higher first when holds compete for the same devices
 */
public record ReservationRequest(
        double kw,
        ReservationScope scope,
        Instant start,
        Instant end,
        Duration lead,
        int priority,
        @Nullable String reference) {

    /** The longest a reservation may run. */
    public static final Duration MAX_LENGTH = Duration.ofDays(31);
    /** The longest lead time. */
    public static final Duration MAX_LEAD = Duration.ofHours(24);
    /** How far ahead a reservation may start. */
    public static final Duration MAX_AHEAD = Duration.ofDays(366);
    /** The largest capacity one reservation may ask for, in kW (a site of a gigawatt). */
    public static final double MAX_KW = 1_000_000;

    static final Set<String> FIELDS = Set.of("kw", "scope", "start", "end", "lead_seconds", "priority", "reference");
    private static final int MAX_REFERENCE = 128;

    public ReservationRequest {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(lead, "lead");
    }

    /** When the engine starts freeing the capacity. */
    public Instant freeFrom() {
        return start.minus(lead);
    }

    /**
     * Reads a request from the API's JSON, naming every problem at once.
     *
     * @throws ReservationException {@code INVALID} with one message per problem
     */
    public static ReservationRequest fromJson(JsonNode json, Instant now) {
        List<String> problems = new ArrayList<>();
        if (!json.isObject()) {
            throw new ReservationException(ReservationException.Reason.INVALID, "the body must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add("unknown field '" + clip(name) + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        double kw = Double.NaN;
        JsonNode kwNode = json.get("kw");
        if (kwNode == null || !kwNode.isNumber()) {
            problems.add("kw: required, a number of kW");
        } else {
            kw = kwNode.asDouble();
            if (!(kw > 0) || kw > MAX_KW) {
                problems.add("kw: must be above 0 and at most " + (long) MAX_KW + ", not " + kwNode.asText());
            }
        }
        ReservationScope scope = null;
        JsonNode scopeNode = json.get("scope");
        if (scopeNode == null || !scopeNode.isObject()) {
            problems.add("scope: required, an object {\"kind\": \"feed\", \"id\": \"feed-a\"}");
        } else {
            JsonNode kind = scopeNode.get("kind");
            JsonNode id = scopeNode.get("id");
            if (kind == null
                    || !kind.isTextual()
                    || id == null
                    || !id.isTextual()
                    || id.asText().isEmpty()) {
                problems.add("scope: needs a text kind (site, feed, pdu, circuit, rack, zone) and a text id");
            } else if (scopeNode.size() != 2) {
                problems.add("scope: only kind and id");
            } else {
                try {
                    scope = ReservationScope.of(kind.asText(), clip(id.asText()));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        Instant start = instant(json, "start", problems);
        Instant end = instant(json, "end", problems);
        Duration lead = Duration.ZERO;
        JsonNode leadNode = json.get("lead_seconds");
        if (leadNode != null) {
            if (!leadNode.canConvertToLong() || leadNode.asLong() < 0 || leadNode.asLong() > MAX_LEAD.toSeconds()) {
                problems.add("lead_seconds: a whole number from 0 to " + MAX_LEAD.toSeconds() + ", not " + leadNode);
            } else {
                lead = Duration.ofSeconds(leadNode.asLong());
            }
        }
        int priority = 50;
        JsonNode priorityNode = json.get("priority");
        if (priorityNode != null) {
            if (!priorityNode.canConvertToInt() || priorityNode.asInt() < 0 || priorityNode.asInt() > 100) {
                problems.add("priority: a whole number from 0 to 100, not " + priorityNode);
            } else {
                priority = priorityNode.asInt();
            }
        }
        String reference = null;
        JsonNode referenceNode = json.get("reference");
        if (referenceNode != null) {
            if (!referenceNode.isTextual()
                    || referenceNode.asText().isEmpty()
                    || referenceNode.asText().length() > MAX_REFERENCE) {
                problems.add("reference: a text of 1 to " + MAX_REFERENCE + " characters");
            } else {
                reference = referenceNode.asText();
            }
        }
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                problems.add("end: must be after start");
            } else if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
                problems.add("end: a reservation lasts at most " + MAX_LENGTH.toDays() + " days");
            }
            if (!end.isAfter(now)) {
                problems.add("end: " + end + " is already past");
            }
            if (start.isAfter(now.plus(MAX_AHEAD))) {
                problems.add("start: at most " + MAX_AHEAD.toDays() + " days ahead");
            }
        }
        if (!problems.isEmpty() || scope == null || start == null || end == null) {
            throw new ReservationException(ReservationException.Reason.INVALID, problems, null);
        }
        return new ReservationRequest(kw, scope, start, end, lead, priority, reference);
    }

    private static @Nullable Instant instant(JsonNode json, String field, List<String> problems) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            problems.add(field + ": required, an ISO-8601 instant such as 2026-12-01T18:00:00Z");
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            problems.add(
                    field + ": '" + clip(node.asText()) + "' is not an ISO-8601 instant such as 2026-12-01T18:00:00Z");
            return null;
        }
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /** True when both ask for the same thing. */
    boolean sameTerms(ReservationRequest other) {
        return Double.compare(kw, other.kw) == 0
                && scope.equals(other.scope)
                && start.equals(other.start)
                && end.equals(other.end)
                && lead.equals(other.lead)
                && priority == other.priority;
    }
}
