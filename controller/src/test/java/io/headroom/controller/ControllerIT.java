package io.headroom.controller;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.api.TestUsers;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The wired controller against a real MQTT 5 client (Paho) acting as an agent, and real HTTP. */
@Timeout(60)
class ControllerIT {

    private static final String SITE = "demo";
    private static final String AGENT = "rack-1";
    private static final char[] PASSWORD = "s3cret-for-tests".toCharArray();
    private static final long BOOT = 4242;

    @TempDir
    Path dir;

    /** Messages the fake agent received, by wire topic and payload. */
    private final BlockingQueue<MqttMessageOn> received = new LinkedBlockingQueue<>();

    private record MqttMessageOn(String topic, byte[] payload) {}

    private Controller startController() throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(
                credentials, AGENT + " agent " + PasswordHash.create(PASSWORD).encoded() + "\n");
        ControllerConfig config = new ControllerConfig(
                SITE,
                "controller-test",
                new ControllerConfig.Mqtt(
                        "127.0.0.1",
                        0,
                        credentials,
                        io.headroom.config.DataSize.ofBytes(1024 * 1024),
                        Duration.ofSeconds(30),
                        100),
                ControllerConfig.Http.plaintext(
                        "127.0.0.1",
                        0,
                        List.of(new ControllerConfig.User(
                                TestUsers.OPERATOR,
                                ApiRole.OPERATOR,
                                TestUsers.hash(TestUsers.password(TestUsers.OPERATOR))))),
                Duration.ofSeconds(3),
                dir,
                java.util.Optional.empty());
        return Controller.start(config, Clock.systemUTC());
    }

    private MqttClient connectAgent(Controller controller) throws MqttException {
        MqttClient client =
                new MqttClient("tcp://127.0.0.1:" + controller.mqttAddress().getPort(), AGENT, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new MqttMessageOn(topic, message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(AGENT);
        options.setPassword(new String(PASSWORD).getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        MqttMessage will = new MqttMessage(
                WireCodec.encode(Death.newBuilder()
                        .setAgentId(AGENT)
                        .setBootId(BOOT)
                        .setSession(1)
                        .build()),
                1,
                false,
                null);
        options.setWill(Topics.agent(SITE, AGENT, TopicKind.DEATH).toWire(), will);
        client.connect(options);
        client.subscribe(Topics.agent(SITE, AGENT, TopicKind.ACK).toWire(), 1);
        client.subscribe(Topics.agent(SITE, AGENT, TopicKind.CMD).toWire(), 1);
        client.subscribe(Topics.controllerState(SITE).toWire(), 1);
        return client;
    }

    private static void publish(MqttClient client, TopicKind kind, com.google.protobuf.Message message)
            throws MqttException {
        client.publish(Topics.agent(SITE, AGENT, kind).toWire(), WireCodec.encode(message), 1, false);
    }

    /** Waits for the next message on {@code topic}, skipping others. */
    private byte[] next(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            MqttMessageOn message = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("nothing on " + topic + " within 10 s");
            }
            if (message.topic().equals(topic)) {
                return message.payload();
            }
        }
    }

    @Test
    void agentOverMqtt_telemetryCommandAndGoodbye_visibleInStoreAndApi() throws Exception {
        Controller controller = startController();
        try {
            MqttClient agent = connectAgent(controller);
            ControllerState state =
                    WireCodec.decode(next(Topics.controllerState(SITE).toWire()), ControllerState.class);
            assertThat(state.getOnline()).isTrue();
            assertThat(state.getControllerId()).isEqualTo("controller-test");
            assertThat(state.getLeaseMs()).isEqualTo(3000);

            publish(
                    agent,
                    TopicKind.BIRTH,
                    birth(AGENT, BOOT, 1, 1).addDevices(miner("m1", 10)).build());
            publish(
                    agent,
                    TopicKind.DATA,
                    data(BOOT, 2, System.currentTimeMillis())
                            .addAlias(10)
                            .addValue(3250)
                            .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                            .build());

            String ackTopic = Topics.agent(SITE, AGENT, TopicKind.ACK).toWire();
            assertThat(WireCodec.decode(next(ackTopic), Ack.class).getSeq()).isEqualTo(1);
            assertThat(WireCodec.decode(next(ackTopic), Ack.class).getSeq()).isEqualTo(2);
            DeviceView m1 = controller.store().device("m1").orElseThrow();
            assertThat(m1.status()).isEqualTo(DeviceState.ONLINE);
            assertThat(m1.metric("power").value()).isEqualTo(3250);

            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + controller.httpAddress().getPort();
            HttpResponse<String> posted = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/m1/commands"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", TestUsers.basic(TestUsers.OPERATOR))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"verb\":\"set-power-target\",\"value\":2800}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String commandId =
                    new ObjectMapper().readTree(posted.body()).get("commandId").asText();

            Command command = WireCodec.decode(
                    next(Topics.agent(SITE, AGENT, TopicKind.CMD).toWire()), Command.class);
            assertThat(command.getCommandId()).isEqualTo(commandId);
            assertThat(command.getValue()).isEqualTo(2800);
            publish(
                    agent,
                    TopicKind.RESULT,
                    Result.newBuilder()
                            .setBootId(BOOT)
                            .setSeq(3)
                            .setCommandId(commandId)
                            .setDeviceId("m1")
                            .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                            .setReadBack(2800)
                            .setTimestampMs(System.currentTimeMillis())
                            .build());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> got = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/commands/" + commandId))
                                .header("Authorization", TestUsers.basic(TestUsers.OPERATOR))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode view = new ObjectMapper().readTree(got.body());
                assertThat(view.get("state").asText()).isEqualTo("APPLIED");
                assertThat(view.get("readBack").asDouble()).isEqualTo(2800);
            });

            // Heartbeat: the state comes again (every lease / 3 = 1 s), with a newer timestamp.
            ControllerState again =
                    WireCodec.decode(next(Topics.controllerState(SITE).toWire()), ControllerState.class);
            assertThat(again.getOnline()).isTrue();
            assertThat(again.getTimestampMs()).isGreaterThan(state.getTimestampMs());

            publish(
                    agent,
                    TopicKind.DEATH,
                    Death.newBuilder()
                            .setAgentId(AGENT)
                            .setBootId(BOOT)
                            .setSession(1)
                            .setReason("shutdown")
                            .build());
            agent.disconnect();
            agent.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                DeviceView gone = controller.store().device("m1").orElseThrow();
                assertThat(gone.status()).isEqualTo(DeviceState.STALE);
                assertThat(gone.statusReason()).isEqualTo("shutdown");
            });
            assertThat(controller.registry().scrape()).contains("headroom_ingest_messages_total");

            controller.close();
            controller.close();
            assertThat(controller.registry().isClosed()).isTrue();
        } finally {
            controller.close();
        }
    }
}
