package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.CommandSettings;
import io.headroom.agent.config.MetricsSettings;
import io.headroom.agent.config.MqttSettings;
import io.headroom.agent.config.OutboxSettings;
import io.headroom.agent.config.PublishSettings;
import io.headroom.agent.config.TlsSettings;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.tls.PemTls;
import io.headroom.agent.tls.TlsSetupException;
import io.headroom.config.SecretRef;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.testkit.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher over TLS against a real mosquitto with a TLS-only listener, on certificates the
 * openssl CLI makes for each test: the right CA, an unrelated CA, a client certificate the broker
 * may require, and a server certificate for another name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttPublisherTlsIT {
    private static final String SITE = "s1";
    private static final String AGENT = "rack-1";
    private static final String PASSWORD = "secret-password-1234";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private TestPki pki;
    private TestPki.Issued serverCert;
    private MosquittoBroker broker;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TelemetryBuffer telemetry = new TelemetryBuffer(List.of("m1"));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void makePki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        serverCert = pki.server("broker", "IP:127.0.0.1", "DNS:localhost");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private MosquittoBroker broker(TestPki.Issued cert, boolean requireCertificate) throws Exception {
        broker = MosquittoBroker.startTls(
                dir, new MosquittoBroker.Tls(pki.ca(), cert.cert(), cert.key(), requireCertificate));
        return broker;
    }

    /** The controller's side, over TLS with the right CA (and a client certificate of its own). */
    private FakeController controller() throws Exception {
        TestPki.Issued own = pki.client("controller");
        FakeController controller = new FakeController(
                broker.url(),
                SITE,
                PemTls.socketFactory(
                        new TlsSettings(Optional.of(pki.ca()), Optional.of(own.cert()), Optional.of(own.key()))));
        closeables.add(controller);
        return controller;
    }

    private static TlsSettings trusting(Path ca) {
        return new TlsSettings(Optional.of(ca), Optional.empty(), Optional.empty());
    }

    private static TlsSettings withClientCertificate(Path ca, TestPki.Issued client) {
        return new TlsSettings(Optional.of(ca), Optional.of(client.cert()), Optional.of(client.key()));
    }

    private static AgentConfig config(String url, TlsSettings tls) {
        MqttSettings mqtt = new MqttSettings(
                URI.create(url),
                new SecretRef.File(Path.of("unused")),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofMillis(400),
                Optional.ofNullable(tls));
        return new AgentConfig(
                AGENT,
                SITE,
                mqtt,
                new PublishSettings(Duration.ofMillis(100), Duration.ofMinutes(10), 100),
                OutboxSettings.defaults(),
                CommandSettings.defaults(),
                new MetricsSettings("127.0.0.1", 0),
                Map.of(),
                List.of(TestDevices.cgminer(
                        "m1", "luxor/luxos", "127.0.0.1", 4028, Duration.ofSeconds(5), Duration.ofSeconds(2))));
    }

    private MqttPublisher publisher(String url, TlsSettings tls) throws TlsSetupException {
        MqttPublisher publisher = new MqttPublisher(
                config(url, tls),
                List.of(new BirthDevice("m1", DeviceKind.DEVICE_KIND_MINER, "luxor/luxos", 3250, List.of())),
                telemetry,
                PASSWORD.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30),
                Clock.systemUTC(),
                registry,
                command -> {});
        closeables.add(publisher);
        publisher.start();
        return publisher;
    }

    private void poll() {
        telemetry.polled(
                "m1",
                new PollResult(
                        Instant.now(),
                        DeviceHealth.DEVICE_HEALTH_ONLINE,
                        "",
                        "",
                        new DeviceIdentity("Antminer S19 XP", "LUXminer 2025.4.8"),
                        List.of(Reading.of("power", "", 3010))));
    }

    private static String endpoint(MosquittoBroker broker) {
        return "127.0.0.1:" + broker.port();
    }

    /** Waits until the publisher reports a problem, and returns it. */
    private static String problemOf(MqttPublisher publisher) {
        await().atMost(WAIT).until(() -> publisher.connectionProblem().isPresent());
        return publisher.connectionProblem().orElseThrow();
    }

    @Test
    void rightCa_mqttsUrl_birthAndDataReachTheControllerOverTls() throws Exception {
        broker(serverCert, false);
        FakeController controller = controller();

        MqttPublisher publisher = publisher("mqtts://127.0.0.1:" + broker.port(), trusting(pki.ca()));
        poll();

        await().atMost(WAIT)
                .until(() ->
                        !controller.births().isEmpty() && !controller.data().isEmpty());
        Birth birth = controller.births().get(0);
        assertThat(birth.getAgentId()).isEqualTo(AGENT);
        assertThat(birth.getDevices(0).getModel()).isEqualTo("Antminer S19 XP");
        assertThat(controller.data().get(0).getValueList()).containsExactly(3010.0);
        assertThat(publisher.connected()).isTrue();
        assertThat(publisher.connectionProblem()).isEmpty();
    }

    @Test
    void sslUrlToLocalhost_nameInTheCertificate_connects() throws Exception {
        broker(serverCert, false);
        FakeController controller = controller();

        MqttPublisher publisher = publisher("ssl://localhost:" + broker.port(), trusting(pki.ca()));
        poll();

        await().atMost(WAIT).until(() -> !controller.births().isEmpty());
        assertThat(publisher.connected()).isTrue();
    }

    @Test
    void wrongCa_noConnection_theProblemSaysTls_andTheBrokerSawNoMqtt() throws Exception {
        broker(serverCert, false);
        FakeController controller = controller();

        MqttPublisher publisher = publisher(broker.url(), trusting(pki.otherCa()));
        poll();

        assertThat(problemOf(publisher))
                .isEqualTo("TLS handshake with " + endpoint(broker)
                        + " failed: server certificate is not trusted by the CA in " + pki.otherCa());
        assertThat(publisher.connected()).isFalse();
        assertThat(controller.births()).isEmpty();
        // It keeps trying, always in TLS: the broker refuses handshake after handshake (OpenSSL's words
        // for the agent's alert), and admits only the controller as an MQTT client.
        await().atMost(WAIT).until(() -> broker.log().split("alert certificate unknown", -1).length > 2);
        assertThat(broker.log())
                .contains("as fake-controller")
                .doesNotContain("as " + AGENT)
                .doesNotContain(PASSWORD);
    }

    @Test
    void tlsUrlToAPlaintextListener_clientHelloOnly_neverTheConnectOrPassword_andItRetries() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            MqttPublisher publisher = publisher("ssl://127.0.0.1:" + plain.getLocalPort(), trusting(pki.ca()));

            for (int attempt = 1; attempt <= 2; attempt++) {
                try (Socket connection = plain.accept()) {
                    InputStream in = connection.getInputStream();
                    byte[] record = in.readNBytes(5);
                    // A TLS record header: content type 22 (handshake), version 3.x; an MQTT CONNECT starts 0x10.
                    assertThat(record[0]).as("attempt %d", attempt).isEqualTo((byte) 22);
                    assertThat(record[1]).isEqualTo((byte) 3);
                    int length = ((record[3] & 0xff) << 8) | (record[4] & 0xff);
                    byte[] clientHello = in.readNBytes(length);
                    assertThat(clientHello[0]).as("ClientHello").isEqualTo((byte) 1);
                    assertThat(new String(clientHello, StandardCharsets.ISO_8859_1))
                            .doesNotContain(PASSWORD)
                            .doesNotContain("MQTT");
                }
            }
            assertThat(problemOf(publisher))
                    .startsWith("TLS handshake with 127.0.0.1:" + plain.getLocalPort() + " failed: ");
            assertThat(publisher.connected()).isFalse();
        }
    }

    @Test
    void brokerRequiresClientCertificate_withOne_connects() throws Exception {
        broker(serverCert, true);
        FakeController controller = controller();

        MqttPublisher publisher = publisher(broker.url(), withClientCertificate(pki.ca(), pki.client(AGENT)));
        poll();

        await().atMost(WAIT)
                .until(() ->
                        !controller.births().isEmpty() && !controller.data().isEmpty());
        assertThat(publisher.connected()).isTrue();
    }

    @Test
    void brokerRequiresClientCertificate_withoutOne_refusedAndTold() throws Exception {
        broker(serverCert, true);
        FakeController controller = controller();

        MqttPublisher publisher = publisher(broker.url(), trusting(pki.ca()));
        poll();

        // Under TLS 1.3 the refusal comes after the agent's handshake and races its CONNECT: an alert
        // or a reset, depending on the race; both sentences say what to set.
        assertThat(problemOf(publisher))
                .startsWith("TLS ")
                .contains(endpoint(broker))
                .containsAnyOf(
                        "the broker requires a client certificate (alert ", "how a broker refuses a client certificate")
                .contains("mqtt.tls.cert-file and mqtt.tls.key-file");
        assertThat(publisher.connected()).isFalse();
        assertThat(controller.births()).isEmpty();
    }

    @Test
    void brokerRequiresClientCertificate_oneOfAnotherCa_refused() throws Exception {
        broker(serverCert, true);
        FakeController controller = controller();
        TestPki.Issued stranger = pki.clientOfOtherCa("stranger");

        MqttPublisher publisher = publisher(broker.url(), withClientCertificate(pki.ca(), stranger));
        poll();

        assertThat(problemOf(publisher))
                .startsWith("TLS ")
                .contains(endpoint(broker))
                .containsAnyOf(
                        "the broker refused the client certificate in " + stranger.cert() + " (alert ",
                        "how a broker refuses a client certificate: check that the certificate in " + stranger.cert());
        assertThat(controller.births()).isEmpty();
    }

    @Test
    void serverCertificateForAnotherName_hostnameVerificationRefuses() throws Exception {
        broker(pki.server("elsewhere", "DNS:other.example"), false);
        MqttPublisher publisher = publisher(broker.url(), trusting(pki.ca()));

        assertThat(problemOf(publisher))
                .isEqualTo("TLS handshake with " + endpoint(broker)
                        + " failed: server certificate does not match 127.0.0.1 (hostname verification): "
                        + "No subject alternative names matching IP address 127.0.0.1 found");
        assertThat(publisher.connected()).isFalse();
        assertThat(broker.log()).contains("New connection from").doesNotContain("as " + AGENT);
    }

    @Test
    void pkcs1ClientKey_refusedAtConstructionNamingTheFile() throws Exception {
        TestPki.Issued client = pki.client(AGENT);
        pki.openssl("rsa", "-in", client.key().toString(), "-traditional", "-out", "pkcs1.pem");
        Path pkcs1 = pki.dir().resolve("pkcs1.pem");
        TlsSettings tls = new TlsSettings(Optional.of(pki.ca()), Optional.of(client.cert()), Optional.of(pkcs1));

        assertThatThrownBy(() -> publisher("ssl://127.0.0.1:8883", tls))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageStartingWith("mqtt.tls.key-file " + pkcs1 + ": the key is in PKCS#1 format");
    }
}
