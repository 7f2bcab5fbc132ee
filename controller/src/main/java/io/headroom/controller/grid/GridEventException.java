package io.headroom.controller.grid;

import java.util.List;
import java.util.Objects;

/** A grid-event request that is refused, with why; the API maps {@link #reason()} to a status. */
public final class GridEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why; each maps to one HTTP status. */
    public enum Reason {
        /** The request is malformed or out of range: 400. */
        INVALID(400),
        /** No event with that id: 404. */
        UNKNOWN(404),
        /** The event is over (completed, cancelled or failed): 409. */
        FINAL(409),
        /**
         * The edit cannot be made now: the event has ended, or the field is fixed by what has happened
         * (a start that has passed, a deadline that has passed): 409.
         */
        UNEDITABLE(409),
        /** Too many open events: 429. */
        TOO_MANY(429);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** The HTTP status. */
        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final List<String> problems;

    public GridEventException(Reason reason, List<String> problems) {
        super(String.join("; ", problems));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problems = List.copyOf(problems);
    }

    static GridEventException invalid(List<String> problems) {
        return new GridEventException(Reason.INVALID, problems);
    }

    public Reason reason() {
        return reason;
    }

    /** One message per problem, each naming its field. */
    public List<String> problems() {
        return problems;
    }
}
