package io.headroom.controller.broker;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jspecify.annotations.Nullable;

/**
 * One connection attempt: its own Paho client (never reused: Paho's state after a failed connect is
 * not worth trusting) and whether the attempt has ended, which only the first of its failure paths
 * (connect failure, CONNACK timeout, lost connection, close) may claim.
 */
final class PahoAttempt {
    final MqttAsyncClient client;
    final AtomicBoolean ended = new AtomicBoolean();

    PahoAttempt(MqttAsyncClient client) {
        this.client = client;
    }

    /** Drops the connection without DISCONNECT and releases the client's threads; never throws. */
    static void closeQuietly(@Nullable PahoAttempt attempt) {
        if (attempt == null) {
            return;
        }
        try {
            attempt.client.disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException ignored) {
            // Not connected, or already gone.
        }
        try {
            attempt.client.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // Already closed.
        }
    }

    /** A failure in one line for the log: Paho's message and its cause's, which usually says more. */
    static String describe(@Nullable Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable cause = failure.getCause();
        String message = failure.getMessage();
        if (cause != null && cause.getMessage() != null) {
            return message + " (" + cause.getMessage() + ")";
        }
        return message == null ? failure.getClass().getSimpleName() : message;
    }
}
