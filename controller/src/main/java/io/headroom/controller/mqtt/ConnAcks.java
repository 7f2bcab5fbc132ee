package io.headroom.controller.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * The CONNACK this endpoint answers a CONNECT with: accepted, with the MQTT 5 properties that tell
 * the client our limits, or refused for one of the {@link Refusal}s, each with the return code of
 * the client's protocol level (MQTT 3.1.1 §3.2.2.3, MQTT 5 §3.2.2.2).
 *
 * <p>Kept apart from {@link MqttConnectHandler}, which decides whether and when to answer; this
 * is only what the answer says.
 */
final class ConnAcks {

    /** Why a CONNECT is refused: the result it is counted under, and its code per protocol level. */
    enum Refusal {
        UNSUPPORTED_PROTOCOL_VERSION(
                "unsupported-protocol-version",
                MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION),
        /** Only an MQTT 5 CONNECT can name an authentication method. */
        BAD_AUTHENTICATION_METHOD(
                "bad-authentication-method",
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD),
        CERTIFICATE_MISMATCH(
                "certificate-mismatch",
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED),
        /** The password checks are queued past their limit, or the endpoint is stopping. */
        SERVER_BUSY(
                "server-busy",
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY,
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE),
        /** Authenticated, but the endpoint began stopping before the session could start. */
        SHUTTING_DOWN(
                "server-busy",
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE),
        BAD_CREDENTIALS(
                "bad-credentials",
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD),
        /** An agent's client id that is not its username. */
        INVALID_CLIENT_ID(
                "invalid-client-id",
                MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
                MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED),
        WILL_NOT_AUTHORIZED(
                "not-authorized",
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED),
        TAKEOVER_RATE_EXCEEDED(
                "takeover-rate-exceeded",
                MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED,
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE),
        /** A valid client id that is another principal's (an agent's, or a connected session's). */
        CLIENT_ID_OF_OTHER_PRINCIPAL(
                "client-id-of-other-principal",
                MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
                MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);

        /** The {@code result} of the connect-attempt count. */
        final String result;

        private final MqttConnectReturnCode v5;
        private final MqttConnectReturnCode v3;

        Refusal(String result, MqttConnectReturnCode v5, MqttConnectReturnCode v3) {
            this.result = result;
            this.v5 = v5;
            this.v3 = v3;
        }

        MqttConnectReturnCode code(MqttVersion version) {
            return version == MqttVersion.MQTT_5 ? v5 : v3;
        }
    }

    private ConnAcks() {}

    static MqttConnAckMessage refused(Refusal refusal, MqttVersion version) {
        return MqttMessageBuilders.connAck()
                .returnCode(refusal.code(version))
                .sessionPresent(false)
                .properties(MqttProperties.NO_PROPERTIES)
                .build();
    }

    /**
     * @param clientAskedSessionExpiry the CONNECT asked for a session expiry interval other than 0
     * @param assignedId the client id we assigned, or null when the client chose its own
     */
    static MqttConnAckMessage accepted(
            MqttEndpointConfig config, boolean v5, int keepAlive, boolean clientAskedSessionExpiry, String assignedId) {
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (v5) {
            properties = connAckProperties(config, keepAlive, clientAskedSessionExpiry, assignedId);
        }
        return MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false)
                .properties(properties)
                .build();
    }

    /** MQTT 5 §3.1.2.10: the client's value, capped at ours; 0 (no keep-alive) becomes ours. */
    static int effectiveKeepAlive(int requested, int maximum) {
        return requested == 0 ? maximum : Math.min(requested, maximum);
    }

    private static MqttProperties connAckProperties(
            MqttEndpointConfig config, int keepAlive, boolean clientAskedSessionExpiry, String assignedId) {
        MqttMessageBuilders.ConnAckPropertiesBuilder builder = new MqttMessageBuilders.ConnAckPropertiesBuilder()
                .maximumQos((byte) 1)
                .retainAvailable(true)
                .maximumPacketSize(config.maxPacketSize())
                .receiveMaximum(config.receiveMaximum())
                .wildcardSubscriptionAvailable(true)
                .subscriptionIdentifiersAvailable(false)
                .sharedSubscriptionAvailable(false)
                .topicAliasMaximum(0)
                .serverKeepAlive(keepAlive);
        if (clientAskedSessionExpiry) {
            // Sessions are clean only: the session ends with the connection (§3.2.2.3.2).
            builder.sessionExpiryInterval(0);
        }
        if (assignedId != null) {
            builder.assignedClientId(assignedId);
        }
        return builder.build();
    }
}
