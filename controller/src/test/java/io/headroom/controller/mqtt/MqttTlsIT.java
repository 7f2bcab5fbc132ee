package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.headroom.protocol.TopicKind;
import io.headroom.testkit.TestPeers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mTLS on the endpoint: Paho over ssl:// and Debian's mosquitto_sub/mosquitto_pub with --cafile. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttTlsIT {
    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private final List<Process> processes = new ArrayList<>();
    private MqttEndpoint endpoint;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private TestCertificates startTls(boolean mtls) throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        endpoint = MqttEndpoint.start(
                TestPrincipals.config(64 * 1024, 30, 64),
                MqttLimits.defaults(),
                certificates.serverTls(mtls),
                TestPrincipals.store(),
                listener,
                new SimpleMeterRegistry());
        return certificates;
    }

    private MqttClient agent(TestCertificates certificates, String clientFile) throws Exception {
        MqttClient client =
                new MqttClient("ssl://127.0.0.1:" + endpoint.localAddress().getPort(), AGENT, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(AGENT);
        options.setPassword(AGENT_PASSWORD.getBytes(StandardCharsets.UTF_8));
        options.setSocketFactory(certificates.clientContext(clientFile).getSocketFactory());
        options.setConnectionTimeout(10);
        client.connect(options);
        return client;
    }

    private Process mosquitto(String binary, String name, String... args) throws IOException {
        Path path = TestPeers.require(binary, "mosquitto-clients");
        List<String> command = new ArrayList<>(List.of(
                path.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(endpoint.localAddress().getPort()),
                "-V",
                "mqttv5"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        processes.add(process);
        return process;
    }

    @Test
    void pahoOverSsl_agentConnectsAndPublishes_plaintextClientGetsNoSession() throws Exception {
        TestCertificates certificates = startTls(false);

        MqttClient agent = agent(certificates, null);
        agent.publish(
                wire(AGENT, TopicKind.DATA),
                new MqttMessage("over-tls".getBytes(StandardCharsets.UTF_8), 1, false, null));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> listener.messages().contains("message " + wire(AGENT, TopicKind.DATA) + " over-tls"));
        agent.disconnect();
        agent.close();

        MqttClient plaintext = new MqttClient(
                "tcp://127.0.0.1:" + endpoint.localAddress().getPort(), "viewer-plain", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(OBSERVER);
        options.setPassword(OBSERVER_PASSWORD.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(5);
        assertThatThrownBy(() -> plaintext.connect(options)).isInstanceOf(MqttException.class);
        plaintext.close();
    }

    @Test
    void mosquittoSubWithCafile_receivesAgentDataOverTls_mosquittoPubWithoutCafileFails() throws Exception {
        TestCertificates certificates = startTls(false);
        Process sub = mosquitto(
                "mosquitto_sub",
                "sub",
                "--cafile",
                certificates.ca().toString(),
                "-u",
                OBSERVER,
                "-P",
                OBSERVER_PASSWORD,
                "-t",
                wire(AGENT, TopicKind.DATA),
                "-C",
                "1",
                "-N",
                "-W",
                "30");
        MqttClient agent = agent(certificates, null);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    agent.publish(
                            wire(AGENT, TopicKind.DATA),
                            new MqttMessage("tls-data".getBytes(StandardCharsets.UTF_8), 1, false, null));
                    return !sub.isAlive();
                });

        assertThat(sub.exitValue()).as(Files.readString(dir.resolve("sub.err"))).isZero();
        assertThat(Files.readString(dir.resolve("sub.out"))).isEqualTo("tls-data");
        agent.disconnect();
        agent.close();

        Process plain =
                mosquitto("mosquitto_pub", "pub", "-u", OBSERVER, "-P", OBSERVER_PASSWORD, "-t", "x", "-m", "y");
        assertThat(plain.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(plain.exitValue()).isNotZero();
    }

    @Test
    void mtls_certificateNamingTheAgentAccepted_otherNameRefused0x87_noCertificateNoSession() throws Exception {
        TestCertificates certificates = startTls(true);
        certificates.client("good", AGENT);
        certificates.client("wrong", "rack-a02");

        MqttClient agent = agent(certificates, "good");
        assertThat(agent.isConnected()).isTrue();
        agent.disconnect();
        agent.close();

        assertThatThrownBy(() -> agent(certificates, "wrong"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
        assertThatThrownBy(() -> agent(certificates, null)).isInstanceOf(MqttException.class);
        assertThat(listener.events()).containsExactly("connected " + AGENT, "disconnected " + AGENT + " graceful");
    }

    @Test
    void mtls_mosquittoSubWithTheObserversCertificate_subscribes() throws Exception {
        TestCertificates certificates = startTls(true);
        certificates.client("viewer", OBSERVER);
        certificates.client("good", AGENT);
        Process sub = mosquitto(
                "mosquitto_sub",
                "sub",
                "--cafile",
                certificates.ca().toString(),
                "--cert",
                certificates.cert("viewer").toString(),
                "--key",
                certificates.key("viewer").toString(),
                "-u",
                OBSERVER,
                "-P",
                OBSERVER_PASSWORD,
                "-t",
                wire(AGENT, TopicKind.DATA),
                "-C",
                "1",
                "-N",
                "-W",
                "30");
        MqttClient agent = agent(certificates, "good");

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    agent.publish(
                            wire(AGENT, TopicKind.DATA),
                            new MqttMessage("mtls".getBytes(StandardCharsets.UTF_8), 1, false, null));
                    return !sub.isAlive();
                });

        assertThat(sub.exitValue()).as(Files.readString(dir.resolve("sub.err"))).isZero();
        assertThat(Files.readString(dir.resolve("sub.out"))).isEqualTo("mtls");
        agent.disconnect();
        agent.close();
    }

    @Test
    void clientCaFileWithoutACertificate_startFailsNamingTheKeyAndTheFile_asHttpTlsWould() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        Path notACa = certificates.key("server");
        MqttTls tls = new MqttTls(certificates.cert("server"), certificates.key("server"), notACa, true);
        assertThatThrownBy(() -> startWith(tls))
                .isInstanceOf(IOException.class)
                .hasMessage("mqtt.tls.client-ca-file " + notACa + ": no -----BEGIN CERTIFICATE----- block");
    }

    @Test
    void missingKeyFile_startFailsNamingIt() {
        MqttTls tls = new MqttTls(dir.resolve("nope.pem"), dir.resolve("nope.key"), null, false);
        assertThatThrownBy(() -> startWith(tls))
                .isInstanceOf(IOException.class)
                .hasMessage("mqtt.tls.cert-file " + dir.resolve("nope.pem") + ": does not exist or is not readable");
    }

    /** An endpoint with these TLS files and the tests' principals; for the start-up refusals. */
    private MqttEndpoint startWith(MqttTls tls) throws IOException, InterruptedException {
        return MqttEndpoint.start(
                TestPrincipals.config(4096, 30, 64),
                MqttLimits.defaults(),
                tls,
                TestPrincipals.store(),
                listener,
                new SimpleMeterRegistry());
    }
}
