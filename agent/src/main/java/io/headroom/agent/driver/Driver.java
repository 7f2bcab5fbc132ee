package io.headroom.agent.driver;

import io.headroom.protocol.wire.Verb;

/**
 * Reads and controls one device over its own protocol. Owned by the scheduler: {@link #poll} and
 * {@link #execute} are never called concurrently for one driver.
 *
 * <p>Device faults are data, never exceptions: a timeout, a refused connection or a garbage reply
 * comes back as an OFFLINE or DEGRADED {@link PollResult} or a FAILED {@link CommandOutcome}.
 * Only {@link InterruptedException} escapes, with the thread's interrupt flag to be restored by
 * the caller.
 */
public interface Driver extends AutoCloseable {

    /** Polls every metric of the device's profile, within the device's configured timeout. */
    PollResult poll() throws InterruptedException;

    /**
     * Applies an absolute set-point and reads the device back to confirm it. The command has already
     * been checked against the device's capabilities (value in range, instance listed).
     *
     * @param value watts for the power verbs, the point's value for write-point; unused otherwise
     * @param instance the outlet of an outlet verb, the point of write-point; empty otherwise
     */
    CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException;

    /** As {@link #execute(Verb, double, String)} for a verb that applies to the device itself. */
    default CommandOutcome execute(Verb verb, double value) throws InterruptedException {
        return execute(verb, value, "");
    }

    /** Releases sockets and threads. Idempotent; a poll after close returns OFFLINE "closed". */
    @Override
    void close();
}
