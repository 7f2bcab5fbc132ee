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
        public void intents(List<Action> actions, Instant at) {}

        @Override
        public void dispatched(Action action, String commandId, long version, Instant at) {}
    };

    /** The tick's decisions, durable before any of them is sent. */
    void intents(List<Action> actions, Instant at) throws IOException;

    /** One command went out (or was refused: {@code commandId} empty). */
    void dispatched(Action action, String commandId, long version, Instant at) throws IOException;
}
