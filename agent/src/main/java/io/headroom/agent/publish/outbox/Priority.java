package io.headroom.agent.publish.outbox;

import com.google.protobuf.Message;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Result;

/**
 * What an outbox bound drops first. Command results and device status changes are what the
 * controller needs to close a command and to know a device's state; they are few. Telemetry is
 * the bulk, and its newest value is what matters. Births never enter the outbox: each connection
 * makes a fresh one.
 */
public enum Priority {
    /** Results, and Data that carries a device status. */
    HIGH,
    /** Data with samples only. */
    LOW;

    /** The priority of a Data or a Result. */
    public static Priority of(Message message) {
        if (message instanceof Result) {
            return HIGH;
        }
        if (message instanceof Data data) {
            return data.getStatusCount() > 0 ? HIGH : LOW;
        }
        throw new IllegalArgumentException("the outbox keeps Data and Result only, not "
                + message.getDescriptorForType().getName());
    }
}
