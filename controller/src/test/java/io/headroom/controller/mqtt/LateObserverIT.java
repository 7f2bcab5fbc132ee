package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.controller.ingest.WireFixtures;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.testkit.TestPeers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, problem 8: a third-party client (Debian's mosquitto_sub, not Paho) that subscribes to a
 * running site receives each live agent's Birth, retained, and can decode it with the protocol's
 * parser; the retained copy is gone once the agent died.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateObserverIT {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private MqttEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = MqttEndpoint.start(
                TestPrincipals.config(64 * 1024, 30, 64),
                TestPrincipals.store(),
                new RecordingListener(),
                new SimpleMeterRegistry());
        // The controller's own retained state: the marker that every retained message before it was sent.
        endpoint.publish(
                Topics.controllerState(SITE),
                WireCodec.encode(ControllerState.newBuilder().setOnline(true).build()),
                true,
                0);
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        endpoint.close();
    }

    private static Birth birth() {
        return WireFixtures.birth(AGENT, 7, 1, 1)
                .addDevices(WireFixtures.miner("m1", 10))
                .build();
    }

    private MqttClient agent() throws Exception {
        MqttClient client =
                new MqttClient("tcp://127.0.0.1:" + endpoint.localAddress().getPort(), AGENT, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(AGENT);
        options.setPassword(AGENT_PASSWORD.getBytes(StandardCharsets.UTF_8));
        options.setWill(wire(AGENT, TopicKind.DEATH), new MqttMessage(new byte[0], 1, false, null));
        client.connect(options);
        return client;
    }

    /**
     * A late mosquitto_sub on every agent's birth topic and the controller state, printing topic and
     * hex payload of the first message; returns {@code topic hex}.
     */
    private String firstRetained(String name) throws IOException, InterruptedException {
        Path mosquittoSub = TestPeers.require("mosquitto_sub", "mosquitto-clients");
        Process sub = new ProcessBuilder(
                        mosquittoSub.toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(endpoint.localAddress().getPort()),
                        "-V",
                        "mqttv5",
                        "-u",
                        OBSERVER,
                        "-P",
                        OBSERVER_PASSWORD,
                        "-t",
                        Topics.allAgentsFilter(SITE, TopicKind.BIRTH),
                        "-t",
                        Topics.controllerState(SITE).toWire(),
                        "-C",
                        "1",
                        "-F",
                        "%t %x",
                        "-W",
                        "30")
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        processes.add(sub);
        assertThat(sub.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(sub.exitValue())
                .as(Files.readString(dir.resolve(name + ".err")))
                .isZero();
        return Files.readString(dir.resolve(name + ".out")).strip();
    }

    @Test
    void mosquittoSubJoiningLate_getsTheRetainedBirthAndDecodesIt_untilTheAgentDies() throws Exception {
        MqttClient agent = agent();
        byte[] published = WireCodec.encode(birth());
        agent.publish(wire(AGENT, TopicKind.BIRTH), new MqttMessage(published, 1, false, null));

        String line = firstRetained("late");

        String[] parts = line.split(" ", 2);
        assertThat(parts[0]).isEqualTo(wire(AGENT, TopicKind.BIRTH));
        byte[] bytes = HexFormat.of().parseHex(parts[1]);
        assertThat(bytes).isEqualTo(published);
        Birth decoded = WireCodec.decode(bytes, Birth.class);
        assertThat(decoded.getDevices(0).getMetrics(0).getAlias()).isEqualTo(10);
        assertThat(decoded.getDevices(0).getMetrics(0).getName()).isEqualTo("power");

        // The agent's connection drops (its Will fires): the retained Birth is cleared.
        agent.disconnectForcibly(0, 1000, false);
        agent.close(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.connectedAgents() == 0);

        assertThat(firstRetained("after-death"))
                .as("only the controller state is retained now")
                .startsWith(Topics.controllerState(SITE).toWire() + " ");
    }
}
