package io.headroom.controller.grid;

import java.util.Objects;

/**
 * The outcome of {@link GridEventBook#submit}.
 *
 * @param created true for a new event, false when an open event with the same (source,
 *     reference) was updated
 * @param event the event after the submission
 */
public record Submission(boolean created, GridEventView event) {
    public Submission {
        Objects.requireNonNull(event, "event");
    }
}
