package io.headroom.controller.store;

import java.util.List;

/**
 * What {@link StateStore#releaseOwnership} did with a device in conflict.
 *
 * @param outcome released, or why not
 * @param owner the agent that owned the device (empty when there is no such device)
 * @param claimants the agents that claimed it, in claim order, asked to register it afresh when released
 */
public record OwnershipRelease(Outcome outcome, String owner, List<String> claimants) {

    public enum Outcome {
        /** The owner lost the device; the claimants were asked for a fresh Birth. */
        RELEASED,
        NO_SUCH_DEVICE,
        /** No other agent claims the device: there is nobody to hand it to. */
        NOT_IN_CONFLICT,
        /** Its owner is connected: a live owner keeps its devices, whatever an operator says. */
        OWNER_CONNECTED
    }

    public OwnershipRelease {
        claimants = List.copyOf(claimants);
    }
}
