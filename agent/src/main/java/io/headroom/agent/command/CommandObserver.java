package io.headroom.agent.command;

import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ResultStatus;

/**
 * Told by the {@link CommandExecutor} when a controller command starts and how it ended; how
 * {@link HeldSetpoints} learns what the device last confirmed. Called on the executor's thread:
 * must be quick and must not block.
 */
public interface CommandObserver {

    /** A no-op, for an executor that holds nothing. */
    CommandObserver NONE = new CommandObserver() {
        @Override
        public void accepted(Command command) {}

        @Override
        public void finished(Command command, ResultStatus status) {}
    };

    /** The command passed every check and is about to run on the device. */
    void accepted(Command command);

    /** An accepted command ended: APPLIED (confirmed by read-back), FAILED or REJECTED by the driver. */
    void finished(Command command, ResultStatus status);
}
