package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.MqttClientPackets.agentV3;
import static io.headroom.controller.mqtt.MqttClientPackets.agentV5;
import static io.headroom.controller.mqtt.MqttClientPackets.connect;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OTHER_OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OTHER_OBSERVER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, problem 1: a client id is bound to its principal. The observer connecting as an agent's
 * client id is refused, the agent keeps its session; the agent's own takeovers are rate-limited.
 */
class MqttIdentityTest {
    private static final MqttEndpointConfig CONFIG = TestPrincipals.config(4096, 30, 64);

    private static MqttConnectReturnCode connAck(EmbeddedEndpoint endpoint) {
        List<MqttMessage> replies = endpoint.replies();
        assertThat(replies).isNotEmpty();
        assertThat(replies.get(0).fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
        return ((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode();
    }

    private static EmbeddedEndpoint connectedAgent() {
        EmbeddedEndpoint agent = new EmbeddedEndpoint(CONFIG);
        agent.feed(agent.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
        assertThat(connAck(agent)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return agent;
    }

    /** A takeover of {@code current}'s client id by the same agent; returns the new connection, answered. */
    private static EmbeddedEndpoint takeOver(EmbeddedEndpoint current) {
        EmbeddedEndpoint next = new EmbeddedEndpoint(current);
        next.feed(next.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
        current.server.runPendingTasks();
        next.server.runPendingTasks();
        return next;
    }

    @Test
    void observerUsingTheAgentsClientId_refused0x85_andTheAgentKeepsItsSession() {
        EmbeddedEndpoint agent = connectedAgent();
        EmbeddedEndpoint observer = new EmbeddedEndpoint(agent);

        observer.feed(observer.encode(
                connect(MqttVersion.MQTT_5, AGENT, OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties())));
        agent.server.runPendingTasks();

        assertThat(connAck(observer)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(observer.server.isActive()).isFalse();
        assertThat(agent.server.isActive()).isTrue();
        assertThat(agent.replies()).as("no DISCONNECT 0x8E to the agent").isEmpty();
        assertThat(agent.listener.events()).containsExactly("connected " + AGENT);
        assertThat(agent.counter("headroom.mqtt.connect.attempts", "result", "client-id-of-other-principal"))
                .isEqualTo(1);
    }

    @Test
    void observerUsingAnAgentsClientIdWhileTheAgentIsAway_refusedToo_v3IsIdentifierRejected() {
        EmbeddedEndpoint observer = new EmbeddedEndpoint(CONFIG);

        observer.feed(observer.encode(connect(
                MqttVersion.MQTT_3_1_1, AGENT, OBSERVER, OBSERVER_PASSWORD, 30, null, MqttProperties.NO_PROPERTIES)));

        assertThat(connAck(observer)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        assertThat(observer.context.sessions().get(AGENT)).isNull();
    }

    @Test
    void observerUsingAnotherObserversLiveClientId_refused0x85() {
        EmbeddedEndpoint first = new EmbeddedEndpoint(CONFIG);
        first.feed(first.encode(
                connect(MqttVersion.MQTT_5, "dash", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties())));
        assertThat(connAck(first)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        EmbeddedEndpoint second = new EmbeddedEndpoint(first);

        second.feed(second.encode(connect(
                MqttVersion.MQTT_5, "dash", OTHER_OBSERVER, OTHER_OBSERVER_PASSWORD, 30, null, new MqttProperties())));

        assertThat(connAck(second)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(first.server.isActive()).isTrue();
        assertThat(first.context.sessions().get("dash").username()).isEqualTo(OBSERVER);
    }

    @Test
    void takeoverStorm_firstFourPerMinuteAllowed_thenRefused0x9FForTheBackoff_loggedAtMostFiveLines() {
        EmbeddedEndpoint current = connectedAgent();
        for (int i = 0; i < MqttLimits.DEFAULT_MAX_TAKEOVERS_PER_MINUTE; i++) {
            EmbeddedEndpoint next = takeOver(current);
            assertThat(current.server.isActive()).isFalse();
            assertThat(connAck(next)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            current = next;
        }

        // Two processes with one agent's credentials: the rest of the storm is refused, the session stays.
        for (int i = 0; i < 25; i++) {
            EmbeddedEndpoint refused = takeOver(current);
            assertThat(connAck(refused)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED);
            assertThat(current.server.isActive()).isTrue();
            current.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }

        assertThat(current.counter("headroom.mqtt.takeovers", "result", "accepted"))
                .isEqualTo(4);
        assertThat(current.counter("headroom.mqtt.takeovers", "result", "refused"))
                .isEqualTo(25);
        assertThat(current.counter("headroom.log.lines", "outcome", "written"))
                .as("4 takeover lines and at most 5 refusal lines per 10 s")
                .isLessThanOrEqualTo(4 + 5 * 3);
        assertThat(current.counter("headroom.log.lines", "outcome", "suppressed"))
                .isGreaterThan(0);

        // After the 60 s backoff (25 s already passed) a takeover is allowed again.
        current.nanos.addAndGet(TimeUnit.SECONDS.toNanos(36));
        EmbeddedEndpoint later = takeOver(current);
        assertThat(connAck(later)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(current.server.isActive()).isFalse();
    }

    @Test
    void takeoverByV3Agent_overTheLimit_refusedServerUnavailable() {
        EmbeddedEndpoint current = connectedAgent();
        for (int i = 0; i < MqttLimits.DEFAULT_MAX_TAKEOVERS_PER_MINUTE; i++) {
            current = takeOver(current);
        }
        EmbeddedEndpoint v3 = new EmbeddedEndpoint(current);
        v3.feed(v3.encode(agentV3(AGENT, AGENT_PASSWORD, 30)));

        assertThat(connAck(v3)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        assertThat(current.server.isActive()).isTrue();
    }
}
