package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A reservation request that is refused, with why and, for capacity, the arithmetic. */
public final class ReservationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why; each maps to one HTTP status. */
    public enum Reason {
        /** The request is malformed or out of range: 400. */
        INVALID(400),
        /** No reservation with that id: 404. */
        UNKNOWN(404),
        /** Over already, or its reference names a reservation with other terms: 409. */
        CONFLICT(409),
        /** The capacity cannot be freed in that scope: 422, with the arithmetic. */
        INFEASIBLE(422),
        /** Too many open reservations: 429. */
        TOO_MANY(429);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final List<String> problems;
    private final transient @Nullable JsonNode arithmetic;

    public ReservationException(Reason reason, List<String> problems, @Nullable JsonNode arithmetic) {
        super(String.join("; ", problems));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problems = List.copyOf(problems);
        this.arithmetic = arithmetic;
    }

    public ReservationException(Reason reason, String problem) {
        this(reason, List.of(problem), null);
    }

    public Reason reason() {
        return reason;
    }

    public List<String> problems() {
        return problems;
    }

    /** The feasibility arithmetic of a refused capacity, or null. */
    public @Nullable JsonNode arithmetic() {
        return arithmetic;
    }
}
