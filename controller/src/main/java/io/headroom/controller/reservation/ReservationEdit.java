package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rules of an operator's edit of one reservation, the body of {@code PATCH
 * /api/v1/reservations/{id}} (D56): a JSON merge of the editable fields into the reservation as it
 * stands, validated as a request is. The capacity, the end and the priority may change while the
 * reservation is open; the start and the lead only while it is scheduled (once the engine has begun
 * to free the capacity, the hold's beginning is history). The scope and the reference name what was
 * reserved and never change: another scope is another reservation. Called by the {@link
 * ReservationBook} under its lock.
 */
final class ReservationEdit {
    /** The fields an edit may carry. */
    static final List<String> EDITABLE = List.of("kw", "start", "end", "lead_seconds", "priority");

    private static final Map<String, String> FIXED = Map.of(
            "scope", "a reservation holds one scope; cancel it and ask for the other",
            "reference", "it is the requester's name for the reservation");

    private ReservationEdit() {}

    /**
     * Refuses a patch that is not an object of editable fields with values.
     *
     * @throws ReservationException {@code INVALID}, one problem per field
     */
    static void checkShape(JsonNode patch) {
        if (!(patch instanceof ObjectNode) || patch.isEmpty()) {
            throw new ReservationException(
                    ReservationException.Reason.INVALID,
                    "body: must be a JSON object of the fields to change, one or more of " + String.join(", ", EDITABLE)
                            + ", like {\"kw\": 300}");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (FIXED.containsKey(name)) {
                problems.add(name + ": cannot be edited: " + FIXED.get(name));
            } else if (!EDITABLE.contains(name)) {
                problems.add("unknown field '" + clip(name) + "'; editable: " + String.join(", ", EDITABLE));
            } else if (field.getValue().isNull()) {
                problems.add(name + ": cannot be removed; give a value");
            }
        }
        if (!problems.isEmpty()) {
            throw new ReservationException(ReservationException.Reason.INVALID, problems, null);
        }
    }

    /**
     * Refuses any edit of a reservation that has ended (restoring, completed or cancelled).
     *
     * @throws ReservationException {@code CONFLICT}
     */
    static void checkOpen(Reservation r) {
        if (r.state.isFinal() || r.state == ReservationState.RESTORING) {
            throw new ReservationException(
                    ReservationException.Reason.CONFLICT,
                    "reservation " + r.id + " is " + r.state.wireName() + "; a reservation that has ended cannot be"
                            + " edited");
        }
    }

    /**
     * The reservation's request with {@code patch} merged in, validated as {@code POST} validates.
     *
     * @throws ReservationException {@code INVALID}, every problem named by its field
     */
    static ReservationRequest merged(ReservationRequest current, ObjectNode patch, Instant now) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("kw", current.kw());
        body.putObject("scope")
                .put("kind", current.scope().kindName())
                .put("id", current.scope().id());
        body.put("start", current.start().toString());
        body.put("end", current.end().toString());
        body.put("lead_seconds", current.lead().toSeconds());
        body.put("priority", current.priority());
        if (current.reference() != null) {
            body.put("reference", current.reference());
        }
        body.setAll(patch);
        return ReservationRequest.fromJson(body, now);
    }

    /**
     * Refuses a new start or lead once the engine began to free the capacity.
     *
     * @throws ReservationException {@code CONFLICT}
     */
    static void checkLocks(Reservation r, ReservationRequest edited) {
        if (r.state == ReservationState.SCHEDULED) {
            return;
        }
        List<String> locked = new ArrayList<>();
        String why = ": the engine began freeing the capacity at " + r.request.freeFrom() + " (the reservation is "
                + r.state.wireName() + "); the start and the lead can change only while it is scheduled";
        if (!edited.start().equals(r.request.start())) {
            locked.add("start" + why);
        }
        if (!edited.lead().equals(r.request.lead())) {
            locked.add("lead_seconds" + why);
        }
        if (!locked.isEmpty()) {
            throw new ReservationException(ReservationException.Reason.CONFLICT, locked, null);
        }
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
