package io.headroom.agent.schedule;

import io.headroom.agent.driver.PollResult;

/** Receives every poll result. */
@FunctionalInterface
public interface PollListener {

    /**
     * Called once per finished poll, from a scheduler worker thread, never concurrently for one
     * device. Must be quick and must not block: the device's next poll and commands wait for it.
     * An exception is counted and logged, and does not stop polling.
     */
    void polled(String deviceId, PollResult result);
}
