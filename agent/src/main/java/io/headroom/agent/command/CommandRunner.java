package io.headroom.agent.command;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.protocol.wire.Verb;
import java.util.concurrent.CompletableFuture;

/** Runs a set-point on a device; in the agent, the device's scheduler lane. */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs {@code verb} on the device unless {@code System.nanoTime()} has passed
     * {@code deadlineNanos} before it starts. The future never completes exceptionally.
     *
     * @param instance the outlet or point the verb applies to; empty for the device itself
     */
    CompletableFuture<CommandOutcome> run(
            String deviceId, Verb verb, double value, String instance, long deadlineNanos);
}
