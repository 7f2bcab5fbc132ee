package io.headroom.controller.ingest;

import io.headroom.protocol.wire.Result;

/** Receives command results once ingest has deduplicated and sequenced them. */
@FunctionalInterface
public interface ResultListener {

    /**
     * Called on a transport I/O thread while ingest holds the agent's session; must not block and
     * must not throw.
     */
    void commandResult(String agentId, Result result);
}
