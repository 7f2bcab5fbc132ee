package io.headroom.controller.engine;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Where the engine loop writes ahead what it is about to send, so that after a crash the controller
 * knows which devices it curtailed and why (see {@code docs/journal.md}).
 */
public interface EngineJournal {

    /** Nothing is journaled. */
    EngineJournal NONE = new EngineJournal() {
        @Override
        public void intents(List<Action> actions, EngineState state, Instant at) {}

        @Override
        public void dispatched(Action action, String commandId, String agentId, long version, Instant at) {}
    };

    /** The tick's decisions, with each device's control state after them, durable before any is sent. */
    void intents(List<Action> actions, EngineState state, Instant at) throws IOException;

    /** One command went out through {@code agentId} (or was refused: {@code commandId} and agent empty). */
    void dispatched(Action action, String commandId, String agentId, long version, Instant at) throws IOException;

    /** A final result of one of the engine's commands ({@code applied}, {@code failed} …). */
    default void outcome(String deviceId, String commandId, String outcome, String reason) throws IOException {}

    /** A restore took effect: the device is no longer curtailed. */
    default void released(String deviceId) throws IOException {}

    /** The market's strike state changed (dwell counts, strikes): the latest is what a restart resumes. */
    default void market(io.headroom.controller.market.MarketState state, Instant at) throws IOException {}
}
