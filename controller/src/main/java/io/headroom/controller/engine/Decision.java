package io.headroom.controller.engine;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing the engine did, with the limit that made it act: what {@code GET /api/v1/decisions} lists.
 *
 * @param at when it was decided
 * @param action what it asked for
 * @param dispatched whether the command went out (false in a dry run, when the engine is disabled, or
 *     when the command service refused it)
 * @param commandId the command's id when it was sent
 * @param refusal why it was not sent, or empty
 */
public record Decision(
        Instant at,
        Action action,
        boolean dispatched,
        @Nullable String commandId,
        String refusal) {

    public Decision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(refusal, "refusal");
    }
}
