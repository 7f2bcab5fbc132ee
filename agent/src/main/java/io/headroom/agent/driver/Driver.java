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
     * Applies an absolute set-point and reads the device back to confirm it.
     *
     * @param value watts for {@code VERB_SET_POWER_TARGET}; unused for sleep and wake
     */
    CommandOutcome execute(Verb verb, double value) throws InterruptedException;

    /** Releases sockets and threads. Idempotent; a poll after close returns OFFLINE "closed". */
    @Override
    void close();
}
