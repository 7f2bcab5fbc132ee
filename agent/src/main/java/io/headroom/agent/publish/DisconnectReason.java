package io.headroom.agent.publish;

import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Says in words why a connection ended, for the log. Paho reports two different things through
 * one callback: a DISCONNECT the server sent (a reason code, no exception), and a connection that
 * broke (an exception, reason code 0). Reading the second as "reason code 0" would call a killed
 * controller a normal disconnection.
 */
final class DisconnectReason {

    /** MQTT 5.0 §3.14.2.1: the DISCONNECT reason codes, by value. */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x00, "Normal disconnection"),
            Map.entry(0x04, "Disconnect with Will Message"),
            Map.entry(0x80, "Unspecified error"),
            Map.entry(0x81, "Malformed Packet"),
            Map.entry(0x82, "Protocol Error"),
            Map.entry(0x83, "Implementation specific error"),
            Map.entry(0x87, "Not authorized"),
            Map.entry(0x89, "Server busy"),
            Map.entry(0x8B, "Server shutting down"),
            Map.entry(0x8D, "Keep Alive timeout"),
            Map.entry(0x8E, "Session taken over"),
            Map.entry(0x8F, "Topic Filter invalid"),
            Map.entry(0x90, "Topic Name invalid"),
            Map.entry(0x93, "Receive Maximum exceeded"),
            Map.entry(0x94, "Topic Alias invalid"),
            Map.entry(0x95, "Packet too large"),
            Map.entry(0x96, "Message rate too high"),
            Map.entry(0x97, "Quota exceeded"),
            Map.entry(0x98, "Administrative action"),
            Map.entry(0x99, "Payload format invalid"),
            Map.entry(0x9A, "Retain not supported"),
            Map.entry(0x9B, "QoS not supported"),
            Map.entry(0x9C, "Use another server"),
            Map.entry(0x9D, "Server moved"),
            Map.entry(0x9E, "Shared Subscriptions not supported"),
            Map.entry(0x9F, "Connection rate exceeded"),
            Map.entry(0xA0, "Maximum connect time"),
            Map.entry(0xA1, "Subscription Identifiers not supported"),
            Map.entry(0xA2, "Wildcard Subscriptions not supported"));

    private DisconnectReason() {}

    /**
     * {@code connection lost: java.io.EOFException} for a broken connection; {@code disconnected by
     * the server: Session taken over (reason code 0x8E)} (with the server's reason string, if any)
     * for a DISCONNECT.
     */
    static String describe(MqttDisconnectResponse response) {
        MqttException exception = response.getException();
        if (exception != null) {
            return lost(exception);
        }
        int code = response.getReturnCode();
        String reason = response.getReasonString();
        return "disconnected by the server: " + name(code) + String.format(" (reason code 0x%02X)", code)
                + (reason == null || reason.isBlank() ? "" : ": " + reason);
    }

    /** {@code connection lost: <cause>} for a failure Paho reports as an exception. */
    static String lost(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return "connection lost: " + cause.getClass().getName()
                + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** The reason code's name in the MQTT 5 specification, or {@code unknown reason code}. */
    static String name(int code) {
        return NAMES.getOrDefault(code, "unknown reason code");
    }
}
