package io.headroom.agent.publish;

import io.headroom.protocol.wire.ControllerState;
import java.util.Objects;

/**
 * The last controller state and when it arrived, on the agent's monotonic clock: the lease runs from
 * receipt, never from the controller's own timestamp, so clock skew between the two cannot stretch it.
 *
 * @param state the decoded state
 * @param receivedNanos {@link System#nanoTime()} when it arrived
 */
public record ControllerStateReceipt(ControllerState state, long receivedNanos) {
    public ControllerStateReceipt {
        Objects.requireNonNull(state, "state");
    }
}
