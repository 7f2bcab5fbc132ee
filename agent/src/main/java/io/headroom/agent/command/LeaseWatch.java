package io.headroom.agent.command;

import io.headroom.agent.publish.ControllerStateReceipt;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.protocol.wire.ControllerState;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Judges the controller's lease: valid while the last {@link ControllerState} said {@code online} and
 * arrived less than its {@code lease_ms} ago, on the agent's monotonic clock from receipt. A state
 * that says offline, a controller silent past the lease, a lease of 0 and no state at all are all
 * "lapsed": the agent then never raises power on its own (docs/control-safety.md, decision D24).
 * Thread-safe; it keeps nothing but the two sources.
 */
public final class LeaseWatch {

    /** Why the lease is or is not valid, as {@code /health} shows it. */
    public enum Status {
        /** Online and renewed within the lease. */
        VALID("valid"),
        /** Online, but nothing arrived within the lease: the controller or the link is gone. */
        EXPIRED("expired"),
        /** The controller said (or its Will said) it is offline. */
        CONTROLLER_OFFLINE("controller-offline"),
        /** The controller grants no lease ({@code lease_ms} 0). */
        NO_LEASE("no-lease"),
        /** No controller state received yet. */
        NO_STATE("no-state");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** The lower-case name shown on {@code /health} and in logs. */
        public String label() {
            return label;
        }
    }

    private final Supplier<Optional<ControllerStateReceipt>> states;
    private final MonotonicClock clock;

    /**
     * @param states the last controller state and when it arrived ({@code MqttPublisher::controllerStateReceipt})
     * @param clock the monotonic clock the receipt times were taken on
     */
    public LeaseWatch(Supplier<Optional<ControllerStateReceipt>> states, MonotonicClock clock) {
        this.states = Objects.requireNonNull(states, "states");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where the lease stands now. */
    public Status status() {
        Optional<ControllerStateReceipt> last = states.get();
        if (last.isEmpty()) {
            return Status.NO_STATE;
        }
        ControllerState state = last.get().state();
        if (!state.getOnline()) {
            return Status.CONTROLLER_OFFLINE;
        }
        // uint32 on the wire: read unsigned, so a huge lease is not a negative one.
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(state.getLeaseMs()));
        if (leaseNanos == 0) {
            return Status.NO_LEASE;
        }
        return clock.nanoTime() - last.get().receivedNanos() < leaseNanos ? Status.VALID : Status.EXPIRED;
    }

    /** True while the controller's lease holds. */
    public boolean valid() {
        return status() == Status.VALID;
    }
}
