package io.headroom.controller.grid.signal;

import java.util.Objects;

/** What became of one received signal: accepted with its status, or dropped with a reason. */
public sealed interface SignalOutcome permits SignalOutcome.Accepted, SignalOutcome.Dropped {

    /** The signal is now the last good one. */
    record Accepted(SignalStatus status) implements SignalOutcome {
        public Accepted {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The signal was dropped; the last good one is unchanged.
     *
     * @param detail what exactly was wrong, for the log (may quote the payload, shortened)
     */
    record Dropped(DropReason reason, String detail) implements SignalOutcome {
        public Dropped {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
