package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One reservation and its record, as the book keeps it: mutable, touched under the book's lock
 * only. Its journal form ({@link #toJson} without samples) is what a restart restores.
 */
final class Reservation {

    final String id;
    /** What is reserved; replaced by an operator's edit. */
    ReservationRequest request;

    final String createdBy;
    final Instant createdAt;
    ReservationState state = ReservationState.SCHEDULED;
    /** The reserved-class load in the scope when the hold began, NaN before. */
    double baselineKw = Double.NaN;

    @Nullable
    Instant heldAt;

    @Nullable
    Instant shortSince;

    @Nullable
    Instant endedAt;

    @Nullable
    String cancelledBy;

    /** The latest edit: when and by whom; null before any. */
    @Nullable
    Instant editedAt;

    @Nullable
    String editedBy;
    /** Why it is short, or a conflict with a grid event; empty when none. */
    String note = "";

    double lastFreedKw = Double.NaN;
    boolean lastMetered;
    /** The least freed while it should have held, NaN before it should. */
    double minFreedKw = Double.NaN;

    final List<ReservationSample> samples = new ArrayList<>();

    @Nullable
    Instant lastSampleAt;

    Reservation(String id, ReservationRequest request, String createdBy, Instant createdAt) {
        this.id = id;
        this.request = request;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    /** True when the scope should hold the capacity by now and does not. */
    boolean atRisk() {
        return state == ReservationState.SHORT;
    }

    ObjectNode toJson(ObjectMapper mapper, boolean withSamples) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", id);
        node.put("state", state.wireName());
        node.put("kw", request.kw());
        ObjectNode scope = node.putObject("scope");
        scope.put("kind", request.scope().kindName());
        scope.put("id", request.scope().id());
        node.put("start", request.start().toString());
        node.put("end", request.end().toString());
        node.put("lead_seconds", request.lead().toSeconds());
        node.put("priority", request.priority());
        if (request.reference() != null) {
            node.put("reference", request.reference());
        }
        node.put("created_by", createdBy);
        node.put("created_at", createdAt.toString());
        if (!Double.isNaN(baselineKw)) {
            node.put("baseline_kw", CapacityCheck.round(baselineKw));
        }
        putInstant(node, "held_at", heldAt);
        putInstant(node, "short_since", shortSince);
        putInstant(node, "ended_at", endedAt);
        if (cancelledBy != null) {
            node.put("cancelled_by", cancelledBy);
        }
        putInstant(node, "edited_at", editedAt);
        if (editedBy != null) {
            node.put("edited_by", editedBy);
        }
        node.put("note", note);
        if (!Double.isNaN(lastFreedKw)) {
            node.put("freed_kw", CapacityCheck.round(lastFreedKw));
            node.put("metered", lastMetered);
        }
        if (!Double.isNaN(minFreedKw)) {
            node.put("min_freed_kw", CapacityCheck.round(minFreedKw));
        }
        if (withSamples) {
            ArrayNode array = node.putArray("samples");
            for (ReservationSample sample : samples) {
                ObjectNode s = array.addObject();
                s.put("at", sample.at().toString());
                s.put("promised_kw", CapacityCheck.round(sample.promisedKw()));
                s.put("freed_kw", CapacityCheck.round(sample.freedKw()));
                s.put("load_kw", CapacityCheck.round(sample.loadKw()));
                s.put("metered", sample.metered());
            }
        }
        return node;
    }

    private static void putInstant(ObjectNode node, String field, @Nullable Instant at) {
        if (at != null) {
            node.put(field, at.toString());
        }
    }

    /** A reservation as its journal record left it; samples start empty. */
    static Reservation fromJson(JsonNode json) {
        JsonNode scope = json.get("scope");
        JsonNode reference = json.get("reference");
        ReservationRequest request = new ReservationRequest(
                json.get("kw").asDouble(),
                ReservationScope.of(scope.get("kind").asText(), scope.get("id").asText()),
                Instant.parse(json.get("start").asText()),
                Instant.parse(json.get("end").asText()),
                Duration.ofSeconds(json.get("lead_seconds").asLong()),
                json.get("priority").asInt(),
                reference == null ? null : reference.asText());
        Reservation r = new Reservation(
                json.get("id").asText(),
                request,
                json.get("created_by").asText(),
                Instant.parse(json.get("created_at").asText()));
        r.state = ReservationState.parse(json.get("state").asText());
        r.baselineKw = json.has("baseline_kw") ? json.get("baseline_kw").asDouble() : Double.NaN;
        r.heldAt = instant(json, "held_at");
        r.shortSince = instant(json, "short_since");
        r.endedAt = instant(json, "ended_at");
        r.cancelledBy = json.has("cancelled_by") ? json.get("cancelled_by").asText() : null;
        r.editedAt = instant(json, "edited_at");
        r.editedBy = json.has("edited_by") ? json.get("edited_by").asText() : null;
        r.note = json.has("note") ? json.get("note").asText() : "";
        r.minFreedKw = json.has("min_freed_kw") ? json.get("min_freed_kw").asDouble() : Double.NaN;
        return r;
    }

    private static @Nullable Instant instant(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null ? null : Instant.parse(node.asText());
    }
}
