package io.headroom.cli.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationRequest;
import java.time.Instant;

/**
 * How one reservation fared in a run. Met means it was accepted, held by its start ({@code held_at}
 * at or before {@code start}) and the least capacity freed while it should hold was at least its kW
 * (less the book's 1 % hold tolerance, as the book itself judges a hold).
 *
 * @param reservation its reference, or kW, scope and start
 * @param state the book's state at the end of the run (refused when it was never accepted)
 * @param minFreedKw the least freed while it should have held; null when it never had to
 */
public record ReservationOutcome(
        String reservation,
        double kw,
        String state,
        String heldAt,
        @org.jspecify.annotations.Nullable Double minFreedKw,
        boolean met,
        String note) {

    static ReservationOutcome refused(String name, double kw, String why) {
        return new ReservationOutcome(name, kw, "refused", "", null, false, why);
    }

    static ReservationOutcome of(String name, ReservationRequest request, JsonNode json) {
        String heldAt = json.path("held_at").asText("");
        Double minFreed = json.has("min_freed_kw") ? json.get("min_freed_kw").asDouble() : null;
        boolean heldInTime = !heldAt.isEmpty() && !Instant.parse(heldAt).isAfter(request.start());
        boolean freed = minFreed != null && minFreed >= request.kw() * (1 - ReservationBook.HOLD_TOLERANCE);
        return new ReservationOutcome(
                name,
                request.kw(),
                json.path("state").asText(""),
                heldAt,
                minFreed,
                heldInTime && freed,
                json.path("note").asText(""));
    }
}
