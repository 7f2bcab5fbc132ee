package io.headroom.controller.broker;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.headroom.controller.command.CommandView;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Verb;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * {@link BrokerTransportFixture}'s scenarios in plaintext, and what needs only one transport: the
 * ACL refusing another agent's topics, garbage counted, a stopped controller's offline state, and a
 * shared subscription.
 */
class BrokerTransportIT extends BrokerTransportFixture {

    @Test
    void agentThroughMosquitto_onlineDataCommandResult_thenKilled_willMarksStale() throws Exception {
        roundTrip();
    }

    @Test
    void brokerOutage_healthDegradedAndCountedOnce_thenBackWithTheStateRepublished() throws Exception {
        outageAndRecovery();
    }

    @Test
    void generatedAcl_mosquittoRefusesAnotherAgentsTopics_andAnonymousClients() throws Exception {
        FakeAgent a = new FakeAgent("rack-a", "secret-a", false).subscribeAsAgent();
        // rack-a publishes a Birth in rack-b's name, then one of its own: Mosquitto forwards in order,
        // so the controller having taken rack-a's means rack-b's was refused, not merely late.
        a.publish(
                TopicKind.BIRTH,
                birth("rack-a", BOOT, 1, 1).addDevices(miner("ma", 10)).build());
        a.publishRaw(
                Topics.agent(SITE, "rack-b", TopicKind.BIRTH).toWire(),
                WireCodec.encode(
                        birth("rack-b", BOOT, 1, 1).addDevices(miner("mb", 20)).build()));
        a.publish(
                TopicKind.DATA,
                data(BOOT, 2, System.currentTimeMillis())
                        .addAlias(10)
                        .addValue(1000)
                        .addStatus(status("ma", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        assertThat(WireCodec.decode(a.next(a.topic(TopicKind.ACK)), Ack.class).getSeq())
                .isEqualTo(1);
        assertThat(WireCodec.decode(a.next(a.topic(TopicKind.ACK)), Ack.class).getSeq())
                .isEqualTo(2);
        assertThat(controller.store().device("ma")).isPresent();
        assertThat(controller.store().device("mb"))
                .as("rack-b's birth published by rack-a")
                .isEmpty();
        assertThat(controller.ingest().isConnected("rack-b")).isFalse();

        // Nor may rack-a read rack-b's commands. Mosquitto 2.0 grants the subscription itself (SUBACK
        // 0x01), but checks read access for each message it would deliver: rack-b gets its command,
        // rack-a, subscribed to it as well, does not (its own command, sent after, arrives first).
        FakeAgent b = new FakeAgent("rack-b", "secret-b", false).subscribeAsAgent();
        b.publish(
                TopicKind.BIRTH,
                birth("rack-b", BOOT, 1, 1).addDevices(miner("mb", 20)).build());
        b.publish(
                TopicKind.DATA,
                data(BOOT, 2, System.currentTimeMillis())
                        .addAlias(20)
                        .addValue(1000)
                        .addStatus(status("mb", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        assertThat(WireCodec.decode(b.next(b.topic(TopicKind.ACK)), Ack.class).getSeq())
                .isEqualTo(1);
        assertThat(WireCodec.decode(b.next(b.topic(TopicKind.ACK)), Ack.class).getSeq())
                .isEqualTo(2);
        a.client.subscribe(b.topic(TopicKind.CMD), 1);
        CommandView toB = controller.commands().send("mb", Verb.VERB_SLEEP, null, "", Duration.ofSeconds(30));
        assertThat(WireCodec.decode(b.next(b.topic(TopicKind.CMD)), Command.class)
                        .getCommandId())
                .isEqualTo(toB.commandId());
        CommandView toA = controller.commands().send("ma", Verb.VERB_SLEEP, null, "", Duration.ofSeconds(30));
        assertThat(WireCodec.decode(a.next(a.topic(TopicKind.CMD)), Command.class)
                        .getCommandId())
                .isEqualTo(toA.commandId());
        assertThat(a.received).noneMatch(message -> message.topic().equals(b.topic(TopicKind.CMD)));

        // An observer reads but never writes: its Birth in another agent's name is dropped too.
        FakeAgent watcher = new FakeAgent("watcher", "secret-w", false);
        watcher.publishRaw(
                Topics.agent(SITE, "rack-c", TopicKind.BIRTH).toWire(),
                WireCodec.encode(
                        birth("rack-c", BOOT, 1, 1).addDevices(miner("mc", 30)).build()));
        a.publish(
                TopicKind.DATA,
                data(BOOT, 3, System.currentTimeMillis())
                        .addAlias(10)
                        .addValue(1100)
                        .build());
        assertThat(WireCodec.decode(a.next(a.topic(TopicKind.ACK)), Ack.class).getSeq())
                .isEqualTo(3);
        assertThat(controller.store().device("mc")).isEmpty();

        // A client without credentials is not let in at all; nor one with a wrong password.
        MqttClient anonymous = new MqttClient(broker.url(), "nobody", new MemoryPersistence());
        MqttException anonymousRefused = catchThrowableOfType(MqttException.class, () -> {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setAutomaticReconnect(false);
            anonymous.connect(options);
        });
        assertThat(anonymousRefused).isNotNull();
        anonymous.close(true);
        MqttException wrongPassword =
                catchThrowableOfType(MqttException.class, () -> new FakeAgent("rack-b", "not-the-password", false));
        assertThat(wrongPassword).isNotNull();
    }

    @Test
    void garbageOnAgentTopics_countedDrops_andTheTransportStaysUp() throws Exception {
        FakeAgent agent = new FakeAgent("rack-a", "secret-a", false).subscribeAsAgent();
        agent.publishRaw(agent.topic(TopicKind.DATA), "garbage, not protobuf".getBytes(StandardCharsets.UTF_8));
        agent.publishRaw(agent.topic(TopicKind.BIRTH), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});
        byte[] big = new byte[256 * 1024];
        java.util.Arrays.fill(big, (byte) 0xFF);
        agent.publishRaw(agent.topic(TopicKind.RESULT), "garbage".getBytes(StandardCharsets.UTF_8));
        agent.publishRaw(agent.topic(TopicKind.DATA), big);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter(controller, "headroom.ingest.messages", "kind", "data", "outcome", "malformed"))
                    .isEqualTo(2);
            assertThat(counter(controller, "headroom.ingest.messages", "kind", "birth", "outcome", "malformed"))
                    .isEqualTo(1);
            assertThat(counter(controller, "headroom.ingest.messages", "kind", "result", "outcome", "malformed"))
                    .isEqualTo(1);
        });
        assertThat(broker().connected()).isTrue();
        assertThat(broker().liveAgents())
                .as("a malformed birth is not liveness")
                .isZero();

        // A flood of garbage: every message counted, the transport still up.
        for (int i = 0; i < 500; i++) {
            agent.publishWhenFree(agent.topic(TopicKind.DATA), new byte[] {(byte) 0xFF, (byte) i});
        }
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> counter(controller, "headroom.ingest.messages", "kind", "data", "outcome", "malformed"),
                        n -> n == 502);
        assertThat(broker().connected()).isTrue();

        // A real Birth afterwards is taken as ever.
        agent.publish(
                TopicKind.BIRTH,
                birth("rack-a", BOOT, 1, 1).addDevices(miner("m1", 10)).build());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> controller.store().device("m1").isPresent());
    }

    @Test
    void controllerStopped_agentsSeeTheRetainedStateOffline() throws Exception {
        FakeAgent agent = new FakeAgent("rack-a", "secret-a", false).subscribeAsAgent();
        String stateTopic = Topics.controllerState(SITE).toWire();
        assertThat(WireCodec.decode(agent.next(stateTopic), ControllerState.class)
                        .getOnline())
                .isTrue();
        controller.close();
        ControllerState offline;
        do {
            offline = WireCodec.decode(agent.next(stateTopic), ControllerState.class);
        } while (offline.getOnline());
        assertThat(offline.getControllerId()).isEqualTo("controller-test");
    }

    @Test
    void sharedGroup_mosquittoGrantsTheSharedSubscription_andMessagesArrive() throws Exception {
        List<String> births = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.headroom.controller.transport.AgentMessageListener recording =
                new io.headroom.controller.transport.AgentMessageListener() {
                    @Override
                    public void agentConnected(String agentId) {}

                    @Override
                    public void agentMessage(io.headroom.protocol.Topic.AgentTopic topic, java.nio.ByteBuffer payload) {
                        births.add(topic.agent() + " " + topic.kind().wireName());
                    }

                    @Override
                    public void agentDisconnected(String agentId, boolean graceful) {}
                };
        ExternalBrokerConfig base = config(broker.url()).mqtt().external().orElseThrow();
        ExternalBrokerConfig shared = new ExternalBrokerConfig(
                base.url(),
                Optional.of("ctl-shared"),
                base.username(),
                base.password(),
                Optional.empty(),
                Optional.of("controllers"),
                base.sessionExpiry(),
                base.keepAlive(),
                base.connectTimeout(),
                base.reconnectMin(),
                base.reconnectMax());
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (BrokerTransport transport = BrokerTransport.start(
                shared,
                SITE,
                "shared-test",
                recording,
                null,
                false,
                new byte[] {8, 0},
                io.headroom.config.SecretResolver.system(),
                registry)) {
            await().atMost(Duration.ofSeconds(10)).until(transport::connected);
            FakeAgent agent = new FakeAgent("rack-a", "secret-a", false);
            agent.publish(
                    TopicKind.BIRTH,
                    birth("rack-a", BOOT, 1, 1).addDevices(miner("m1", 10)).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> births.contains("rack-a birth"));
            assertThat(transport.liveAgents()).isEqualTo(1);
        }
    }
}
