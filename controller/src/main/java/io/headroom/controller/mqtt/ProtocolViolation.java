package io.headroom.controller.mqtt;

/**
 * Why the endpoint closes a connection: the MQTT 5 DISCONNECT reason code it sends (MQTT 5
 * §3.14.2.1) and the {@code reason} tag it is counted under. MQTT 3.1.1 has no DISCONNECT from the
 * server, so a 3.1.1 client is simply disconnected.
 */
enum ProtocolViolation {
    MALFORMED_PACKET(0x81, "malformed-packet"),
    PROTOCOL_ERROR(0x82, "protocol-error"),
    NOT_AUTHORIZED(0x87, "not-authorized"),
    KEEP_ALIVE_TIMEOUT(0x8D, "keep-alive-timeout"),
    TOPIC_ALIAS_INVALID(0x94, "topic-alias-invalid"),
    PACKET_TOO_LARGE(0x95, "packet-too-large"),
    QOS_NOT_SUPPORTED(0x9B, "qos-not-supported"),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, "subscription-identifiers-not-supported");

    private final int reasonCode;
    private final String tag;

    ProtocolViolation(int reasonCode, String tag) {
        this.reasonCode = reasonCode;
        this.tag = tag;
    }

    byte reasonCode() {
        return (byte) reasonCode;
    }

    String tag() {
        return tag;
    }
}
