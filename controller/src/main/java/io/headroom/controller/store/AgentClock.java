package io.headroom.controller.store;

/**
 * How far one agent's clock is from the controller's, as last measured by ingest: the agent's
 * Data timestamp minus the controller's receive time, in milliseconds (positive: the agent is
 * ahead; network delay makes it a few milliseconds low). Shared by every device of the agent.
 * Thread-safe.
 */
public final class AgentClock {
    private volatile boolean measured;
    private volatile long offsetMillis;

    /** Records a measurement. */
    public void measured(long agentMillis, long controllerMillis) {
        offsetMillis = agentMillis - controllerMillis;
        measured = true;
    }

    /** The last offset, or {@code null} before the first live Data. */
    public Long offsetMillis() {
        return measured ? offsetMillis : null;
    }
}
