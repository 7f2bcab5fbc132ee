package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.testkit.TestPeers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/** Interop with Debian's mosquitto_sub and mosquitto_pub as observers of the endpoint. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientsIT {
    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private MqttEndpoint endpoint;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        endpoint = MqttEndpoint.start(
                TestPrincipals.config(64 * 1024, 30, 64), TestPrincipals.store(), listener, new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        endpoint.close();
    }

    private Process run(Path binary, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(
                "-h", "127.0.0.1", "-p", String.valueOf(endpoint.localAddress().getPort()), "-V", "mqttv5"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        processes.add(process);
        return process;
    }

    @Test
    void mosquittoSubAsObserver_receivesAgentDataByteIdentical() throws Exception {
        Path mosquittoSub = TestPeers.require("mosquitto_sub", "mosquitto-clients");
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        Process sub = run(
                mosquittoSub,
                "sub",
                "-u",
                OBSERVER,
                "-P",
                OBSERVER_PASSWORD,
                "-t",
                Topics.allAgentsFilter(SITE, TopicKind.DATA),
                "-C",
                "1",
                "-N",
                "-W",
                "30");
        MqttClient agent =
                new MqttClient("tcp://127.0.0.1:" + endpoint.localAddress().getPort(), AGENT, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(AGENT);
        options.setPassword(AGENT_PASSWORD.getBytes());
        agent.connect(options);

        // Publish until mosquitto_sub (which exits after one message) has subscribed and received one.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    agent.publish(wire(AGENT, TopicKind.DATA), new MqttMessage(payload, 1, false, null));
                    return !sub.isAlive();
                });

        assertThat(sub.exitValue()).as(Files.readString(dir.resolve("sub.err"))).isZero();
        assertThat(Files.readAllBytes(dir.resolve("sub.out"))).isEqualTo(payload);
        agent.disconnect();
        agent.close();
    }

    @Test
    void mosquittoPubAsObserver_publishRefused() throws Exception {
        Path mosquittoPub = TestPeers.require("mosquitto_pub", "mosquitto-clients");

        Process pub = run(
                mosquittoPub,
                "pub",
                "-u",
                OBSERVER,
                "-P",
                OBSERVER_PASSWORD,
                "-t",
                wire(AGENT, TopicKind.DATA),
                "-m",
                "forged",
                "-q",
                "1");

        assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).isNotZero();
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void mosquittoPubWithWrongPassword_refused() throws Exception {
        Path mosquittoPub = TestPeers.require("mosquitto_pub", "mosquitto-clients");

        Process pub = run(
                mosquittoPub,
                "pub",
                "-u",
                AGENT,
                "-P",
                "wrong",
                "-i",
                AGENT,
                "-t",
                wire(AGENT, TopicKind.DATA),
                "-m",
                "x",
                "-q",
                "1");

        assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).isNotZero();
        assertThat(Files.readString(dir.resolve("pub.err"))).containsIgnoringCase("bad user name or password");
        assertThat(listener.events()).isEmpty();
    }
}
