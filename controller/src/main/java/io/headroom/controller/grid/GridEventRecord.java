package io.headroom.controller.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One grid event as the journal keeps it: everything but the compliance samples and the list of
 * devices, which are summarised ({@code reached_target_at}, min/max load, the number of devices) so
 * that a journal line stays a few hundred bytes. {@link #toJson} and {@link #fromJson} are exact
 * inverses.
 *
 * @param id the event's id (a UUID)
 * @param source who sent it ({@code api}, {@code schedule}, …)
 * @param reference the source's name for it; null when none
 * @param priority normal or emergency
 * @param state where it stands
 * @param revision 1 when created, +1 for each update through the same reference
 * @param target what was asked
 * @param start when it starts
 * @param end when it ends
 * @param rampSeconds the deadline to reach the target, from the start
 * @param baselineKw the site load when it became active; null before
 * @param siteLoadKw the latest site load observed while it was active; null before
 * @param siteLoadMetered whether that load came from the site meter; null before
 * @param reachedTargetAt the first time the metered load was at or below the final target
 * @param timeToTargetSeconds from the start to {@code reachedTargetAt}
 * @param minLoadKw the lowest site load observed while active
 * @param maxLoadKw the highest site load observed while active
 * @param devicesActedOn how many distinct devices the engine acted on for it
 * @param createdBy the user (or {@code schedule}) that created it
 * @param createdAt when
 * @param updatedAt the latest create, update or cancel
 * @param cancelledAt when it was cancelled; null when not
 * @param cancelledBy who cancelled it; null when not
 * @param finishedAt when it became final (completed, cancelled, or failed and restored); null while open
 */
public record GridEventRecord(
        String id,
        String source,
        @Nullable String reference,
        GridEventPriority priority,
        GridEventState state,
        int revision,
        RequestedTarget target,
        Instant start,
        Instant end,
        int rampSeconds,
        @Nullable Double baselineKw,
        @Nullable Double siteLoadKw,
        @Nullable Boolean siteLoadMetered,
        @Nullable Instant reachedTargetAt,
        @Nullable Double timeToTargetSeconds,
        @Nullable Double minLoadKw,
        @Nullable Double maxLoadKw,
        int devicesActedOn,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant cancelledAt,
        @Nullable String cancelledBy,
        @Nullable Instant finishedAt) {

    public GridEventRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The limit at the end of the ramp; null while a reduction waits for its baseline. */
    public @Nullable Double finalTargetKw() {
        if (!target.needsBaseline()) {
            return target.value();
        }
        Double baseline = baselineKw;
        return baseline == null ? null : target.finalTargetKw(baseline);
    }

    /** When the meter must show the final target: start + ramp_seconds. */
    public Instant deadline() {
        return start.plusSeconds(rampSeconds);
    }

    /** Whether the event is over: completed, cancelled, or failed and restored. */
    public boolean isFinal() {
        return finishedAt != null;
    }

    /** This record as one JSON object (snake_case; absent values as null). */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", id);
        node.put("source", source);
        node.put("reference", reference);
        node.put("priority", priority.wireName());
        node.put("state", state.wireName());
        node.put("revision", revision);
        node.putObject("requested").put(target.kind().field(), target.value());
        node.put("start", start.toString());
        node.put("end", end.toString());
        node.put("ramp_seconds", rampSeconds);
        node.put("baseline_kw", baselineKw);
        node.put("site_load_kw", siteLoadKw);
        node.put("site_load_metered", siteLoadMetered);
        node.put("reached_target_at", reachedTargetAt == null ? null : reachedTargetAt.toString());
        node.put("time_to_target_seconds", timeToTargetSeconds);
        node.put("min_load_kw", minLoadKw);
        node.put("max_load_kw", maxLoadKw);
        node.put("devices_acted_on", devicesActedOn);
        node.put("created_by", createdBy);
        node.put("created_at", createdAt.toString());
        node.put("updated_at", updatedAt.toString());
        node.put("cancelled_at", cancelledAt == null ? null : cancelledAt.toString());
        node.put("cancelled_by", cancelledBy);
        node.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        return node;
    }

    /**
     * The record {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException naming the first field that is missing or malformed
     */
    public static GridEventRecord fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("grid event record: must be a JSON object");
        }
        JsonNode requested = node.get("requested");
        if (requested == null || !requested.isObject() || requested.size() != 1) {
            throw new IllegalArgumentException(
                    "requested: must be an object with one of target_kw, reduce_kw, " + "reduce_percent");
        }
        RequestedTarget target = null;
        for (RequestedTarget.Kind kind : RequestedTarget.Kind.values()) {
            JsonNode value = requested.get(kind.field());
            if (value != null) {
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("requested." + kind.field() + ": must be a number");
                }
                target = new RequestedTarget(kind, value.doubleValue());
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("requested: one of target_kw, reduce_kw, reduce_percent");
        }
        return new GridEventRecord(
                text(node, "id"),
                text(node, "source"),
                optionalText(node, "reference"),
                GridEventPriority.parse(text(node, "priority"))
                        .orElseThrow(() -> new IllegalArgumentException("priority: not normal or emergency")),
                GridEventState.parse(text(node, "state"))
                        .orElseThrow(() -> new IllegalArgumentException("state: not a grid event state")),
                integer(node, "revision"),
                target,
                instant(node, "start"),
                instant(node, "end"),
                integer(node, "ramp_seconds"),
                optionalNumber(node, "baseline_kw"),
                optionalNumber(node, "site_load_kw"),
                optionalBoolean(node, "site_load_metered"),
                optionalInstant(node, "reached_target_at"),
                optionalNumber(node, "time_to_target_seconds"),
                optionalNumber(node, "min_load_kw"),
                optionalNumber(node, "max_load_kw"),
                integer(node, "devices_acted_on"),
                text(node, "created_by"),
                instant(node, "created_at"),
                instant(node, "updated_at"),
                optionalInstant(node, "cancelled_at"),
                optionalText(node, "cancelled_by"),
                optionalInstant(node, "finished_at"));
    }

    private static String text(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        return value;
    }

    private static @Nullable String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": must be a whole number");
        }
        return value.intValue();
    }

    private static @Nullable Double optionalNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + ": must be a number");
        }
        return value.doubleValue();
    }

    private static @Nullable Boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + ": must be true or false");
        }
        return value.booleanValue();
    }

    private static Instant instant(JsonNode node, String field) {
        Instant value = optionalInstant(node, field);
        if (value == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        return value;
    }

    private static @Nullable Instant optionalInstant(JsonNode node, String field) {
        String text = optionalText(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an ISO-8601 instant: " + text, e);
        }
    }
}
