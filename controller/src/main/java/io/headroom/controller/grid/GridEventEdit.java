package io.headroom.controller.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rules of an operator's edit of one grid event, the body of {@code PATCH
 * /api/v1/grid-events/{id}} (D56): a JSON merge of the editable fields into the event as it stands,
 * validated as a create is. What the compliance verdict is judged by (the target, the ramp and so the
 * deadline, the priority) may change only until the deadline; the start only while the event is
 * pending; the end until the end. The source and reference name the event and never change. Called
 * by the {@link GridEventBook} under its lock.
 */
final class GridEventEdit {
    /** The fields an edit may carry; at most one of the three targets. */
    static final List<String> EDITABLE =
            List.of("target_kw", "reduce_kw", "reduce_percent", "start", "end", "ramp_seconds", "priority");

    private static final Map<String, String> FIXED = Map.of(
            "source", "it names who sent the event",
            "reference", "it is the source's name for the event");

    private GridEventEdit() {}

    /**
     * Refuses a patch that is not an object of editable fields with values.
     *
     * @throws GridEventException {@code INVALID}, one problem per field
     */
    static void checkShape(JsonNode patch) {
        if (!(patch instanceof ObjectNode) || patch.isEmpty()) {
            throw GridEventException.invalid(
                    List.of("body: must be a JSON object of the fields to change, one or more of "
                            + String.join(", ", EDITABLE) + ", like {\"target_kw\": 450}"));
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (FIXED.containsKey(name)) {
                problems.add(name + ": cannot be edited: " + FIXED.get(name));
            } else if (!EDITABLE.contains(name)) {
                problems.add(name + ": unknown field; editable fields: " + String.join(", ", EDITABLE));
            } else if (field.getValue().isNull()) {
                problems.add(name + ": cannot be removed; give a value");
            }
        }
        long targets = EDITABLE.subList(0, 3).stream().filter(patch::has).count();
        if (targets > 1) {
            problems.add("target_kw, reduce_kw, reduce_percent: give at most one, not " + targets);
        }
        if (!problems.isEmpty()) {
            throw GridEventException.invalid(problems);
        }
    }

    /**
     * Refuses any edit of an event that is over or past its end.
     *
     * @throws GridEventException {@code UNEDITABLE}
     */
    static void checkOpen(GridEvent event, Instant now) {
        if (event.isFinal()) {
            throw uneditable("grid event " + event.id + " is " + event.state.wireName()
                    + "; an event that is over cannot be edited");
        }
        if (!now.isBefore(event.end)) {
            throw uneditable("grid event " + event.id + " ended at " + event.end
                    + " and is restoring its devices; an event that has ended cannot be edited");
        }
    }

    /**
     * The event's request with {@code patch} merged in, validated as {@code POST} validates (every
     * problem named by its field).
     *
     * @throws GridEventException {@code INVALID}
     */
    static GridEventRequest merged(GridEventRecord current, ObjectNode patch, Instant now) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (!EDITABLE.subList(0, 3).stream().anyMatch(patch::has)) {
            body.put(current.target().kind().field(), current.target().value());
        }
        body.put("start", current.start().toString());
        body.put("end", current.end().toString());
        body.put("ramp_seconds", current.rampSeconds());
        body.put("priority", current.priority().wireName());
        body.put("source", current.source());
        if (current.reference() != null) {
            body.put("reference", current.reference());
        }
        body.setAll(patch);
        return GridEventRequest.parse(body, now);
    }

    /**
     * Refuses what has become fixed: the start once the event started, the target, ramp and priority
     * once the deadline passed; and a new start or deadline that would already be past.
     *
     * @throws GridEventException {@code UNEDITABLE}, or {@code INVALID} for a start or deadline in the past
     */
    static void checkLocks(GridEvent event, GridEventRequest edited, Instant now) {
        List<String> locked = new ArrayList<>();
        if (!edited.start().equals(event.start) && !now.isBefore(event.start)) {
            locked.add(
                    "start: the event started at " + event.start + "; its start can change only while it is pending");
        }
        boolean started = !now.isBefore(event.start);
        boolean deadlinePassed = started && !now.isBefore(event.deadline());
        if (deadlinePassed) {
            String why = ": the deadline passed at " + event.deadline()
                    + "; the compliance verdict stands on what was asked by then (the end may still change)";
            if (!edited.target().equals(event.target)) {
                locked.add(edited.target().kind().field() + why);
            }
            if (edited.rampSeconds() != event.rampSeconds) {
                locked.add("ramp_seconds" + why);
            }
            if (edited.priority() != event.priority) {
                locked.add("priority" + why);
            }
        }
        if (!locked.isEmpty()) {
            throw uneditable(locked);
        }
        if (!edited.start().equals(event.start) && edited.start().isBefore(now)) {
            throw GridEventException.invalid(
                    List.of("start: must not be in the past (now is " + now + "), got " + edited.start()));
        }
        if (started
                && edited.rampSeconds() != event.rampSeconds
                && !edited.deadline().isAfter(now)) {
            throw GridEventException.invalid(List.of("ramp_seconds: the deadline would be start + "
                    + edited.rampSeconds() + " s = " + edited.deadline() + ", already past (now is " + now + ")"));
        }
    }

    private static GridEventException uneditable(String problem) {
        return uneditable(List.of(problem));
    }

    private static GridEventException uneditable(List<String> problems) {
        return new GridEventException(GridEventException.Reason.UNEDITABLE, problems);
    }
}
