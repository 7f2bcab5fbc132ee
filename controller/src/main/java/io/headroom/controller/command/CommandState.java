package io.headroom.controller.command;

/**
 * Where a command stands. DISPATCHED → ACCEPTED → APPLIED or FAILED; REJECTED straight from
 * DISPATCHED; EXPIRED when no final result came within ttl plus a grace period.
 */
public enum CommandState {
    /** Published to the agent; nothing heard back yet. */
    DISPATCHED,
    /** The agent validated it and started it. */
    ACCEPTED,
    /** Done and confirmed by reading the device back. */
    APPLIED,
    /** Started, but the device refused or the read-back disagrees. */
    FAILED,
    /** Not started (expired, unsupported, out of range, stale version, unknown device). */
    REJECTED,
    /**
     * No final result within ttl + grace. A guess, not a fact: a final result that arrives later
     * replaces it.
     */
    EXPIRED;

    /** True for states no further result moves (except a late final result replacing EXPIRED). */
    public boolean isFinal() {
        return this != DISPATCHED && this != ACCEPTED;
    }
}
