package io.headroom.agent.schedule;

import io.headroom.agent.driver.PollResult;

/** Receives every poll result. */
@FunctionalInterface
public interface PollListener {

    /**
     * Called once per finished poll, from a scheduler worker thread, never concurrently for the
     * devices of one lane. Must be quick and must not block: the lane's next request waits for it.
     * An exception is counted and logged, and does not stop polling.
     */
    void polled(String deviceId, PollResult result);
}
