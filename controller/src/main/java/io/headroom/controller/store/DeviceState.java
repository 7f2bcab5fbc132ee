package io.headroom.controller.store;

/**
 * A device's status as the controller shows it. ONLINE, DEGRADED and OFFLINE are the agent's own
 * report; STALE is the controller's: the agent is gone or has not reported yet, so the last values
 * may no longer be true.
 */
public enum DeviceState {
    ONLINE,
    DEGRADED,
    OFFLINE,
    STALE
}
