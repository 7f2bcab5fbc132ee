package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.SocketException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** Issue 8 problem 9: a killed controller is a lost connection, not a "reason code 0" disconnect. */
class DisconnectReasonTest {

    @Test
    void brokenConnection_isConnectionLost_withItsCause_notReasonCodeZero() {
        // What Paho hands the callback when the peer's socket closes (controller killed with -9).
        MqttException lost = new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST, new EOFException());

        String why = DisconnectReason.describe(new MqttDisconnectResponse(lost));

        assertThat(why).isEqualTo("connection lost: java.io.EOFException").doesNotContain("reason code");
    }

    @Test
    void resetConnection_namesTheSocketError() {
        MqttException lost = new MqttException(
                MqttClientException.REASON_CODE_CONNECTION_LOST, new SocketException("Connection reset"));

        assertThat(DisconnectReason.describe(new MqttDisconnectResponse(lost)))
                .isEqualTo("connection lost: java.net.SocketException: Connection reset");
    }

    @Test
    void serverDisconnect_namesTheReasonCode_andTheServersReasonString() {
        MqttDisconnectResponse takeover = new MqttDisconnectResponse(0x8E, null, null, null);
        MqttDisconnectResponse shutdown = new MqttDisconnectResponse(0x8B, "controller stopping", null, null);

        assertThat(DisconnectReason.describe(takeover))
                .isEqualTo("disconnected by the server: Session taken over (reason code 0x8E)");
        assertThat(DisconnectReason.describe(shutdown))
                .isEqualTo("disconnected by the server: Server shutting down (reason code 0x8B): controller stopping");
    }

    @Test
    void unknownCode_isSaidToBeUnknown_withItsValue() {
        assertThat(DisconnectReason.describe(new MqttDisconnectResponse(0x42, null, null, null)))
                .isEqualTo("disconnected by the server: unknown reason code (reason code 0x42)");
    }
}
