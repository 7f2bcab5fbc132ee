package io.headroom.controller.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Evaluates an event against live state and answers the actions the engine would take, without
 * sending any. Implemented by the control engine; {@code POST /api/v1/grid-events/dry-run} shows
 * its answer next to the event as it would be.
 */
@FunctionalInterface
public interface DryRun {
    /** A dry run that has no engine to ask. */
    DryRun NONE = (request, now) -> com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .objectNode()
            .put("error", "no control engine: nothing to plan with");

    /** The planned actions for {@code request} at {@code now}; must not send anything. */
    JsonNode plan(GridEventRequest request, Instant now);
}
