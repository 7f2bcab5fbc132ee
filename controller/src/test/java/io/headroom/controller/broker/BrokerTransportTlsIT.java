package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.headroom.config.SecretResolver;
import io.headroom.controller.Controller;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.controller.config.ExternalBrokerConfig.BrokerTls;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import io.headroom.testkit.MosquittoProcess;
import io.headroom.testkit.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External broker mode over TLS, against a Mosquitto whose only listener is TLS, on certificates
 * the openssl CLI makes for this class ({@link TestPki}): the plaintext scenarios again (the fake
 * agents speak TLS too), then what must be refused with the reason, retried and shown as
 * disconnected: a broker certificate of another CA, one for another name (hostname verification),
 * {@code ssl://} without a CA file (the JDK's trust store, which knows no test CA), a plaintext
 * listener behind an {@code ssl://} url, a CA file that is missing or not PEM, and a broker that
 * demands a client certificate.
 */
class BrokerTransportTlsIT extends BrokerTransportFixture {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AgentMessageListener NOWHERE = new AgentMessageListener() {
        @Override
        public void agentConnected(String agentId) {}

        @Override
        public void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {}

        @Override
        public void agentDisconnected(String agentId, boolean graceful) {}
    };

    @TempDir
    static Path pkiDir;

    private static TestPki pki;
    private static TestPki.Issued brokerCert;

    private final List<AutoCloseable> extras = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(pkiDir);
        brokerCert = pki.server("broker", "IP:127.0.0.1", "DNS:localhost");
    }

    @AfterEach
    void closeExtras() throws Exception {
        for (int i = extras.size() - 1; i >= 0; i--) {
            extras.get(i).close();
        }
    }

    @Override
    List<String> listenerLines() {
        return MosquittoProcess.tlsListener(pki.ca(), brokerCert.cert(), brokerCert.key(), false);
    }

    @Override
    String brokerUrl() {
        return broker.sslUrl();
    }

    @Override
    Optional<BrokerTls> controllerTls() {
        return Optional.of(BrokerTls.trusting(pki.ca()));
    }

    @Override
    SocketFactory agentSockets() throws IOException {
        return BrokerTlsContext.socketFactory(controllerTls());
    }

    /** A second transport of the site's controller user, to {@code url} with {@code tls}; closed after the test. */
    private BrokerTransport transport(String url, Optional<BrokerTls> tls, SimpleMeterRegistry registry)
            throws IOException {
        return transport(url, tls, registry, "ctl-refused");
    }

    private BrokerTransport transport(
            String url, Optional<BrokerTls> tls, SimpleMeterRegistry registry, String clientId) throws IOException {
        ExternalBrokerConfig base = config(brokerUrl()).mqtt().external().orElseThrow();
        ExternalBrokerConfig other = new ExternalBrokerConfig(
                URI.create(url),
                Optional.of(clientId),
                base.username(),
                base.password(),
                tls,
                Optional.empty(),
                base.sessionExpiry(),
                base.keepAlive(),
                base.connectTimeout(),
                base.reconnectMin(),
                base.reconnectMax());
        BrokerTransport transport = BrokerTransport.start(
                other, SITE, "tls-test", NOWHERE, null, false, new byte[] {8, 0}, SecretResolver.system(), registry);
        extras.add(transport);
        return transport;
    }

    /** A Mosquitto of its own, in {@code name}'s directory, with this TLS listener and no passwords. */
    private MosquittoProcess otherBroker(String name, TestPki.Issued cert, boolean requireCertificate)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        List<String> lines =
                new ArrayList<>(MosquittoProcess.tlsListener(pki.ca(), cert.cert(), cert.key(), requireCertificate));
        lines.add("allow_anonymous true");
        MosquittoProcess other = MosquittoProcess.start(home, lines.toArray(new String[0]));
        extras.add(other);
        return other;
    }

    /** Waits for {@code failures} failed attempts (the backoff retrying), then asserts it is one outage, shown as down. */
    private static String refusedAndRetried(BrokerTransport transport, SimpleMeterRegistry registry, int failures) {
        await().atMost(WAIT)
                .until(() ->
                        registry.counter("headroom.broker.connect.failures").count() >= failures);
        assertThat(transport.connected()).isFalse();
        assertThat(registry.counter("headroom.broker.outages").count()).isEqualTo(1);
        assertThat(registry.get("headroom.broker.connected").gauge().value()).isZero();
        return transport.problem().orElseThrow();
    }

    // ------------------------------------------------------------------ as in plaintext

    @Test
    void overTls_onlineDataCommandResult_thenKilled_willMarksStale() throws Exception {
        assertThat(broker().url()).startsWith("ssl://");
        roundTrip();
    }

    @Test
    void overTls_brokerOutage_healthDegraded_thenBackWithANewHandshake() throws Exception {
        outageAndRecovery();
    }

    // ------------------------------------------------------------------ refused

    @Test
    void brokerCertificateOfAnotherCa_refusedNamingUrlAndCaFile_retried_neverAnMqttClient() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BrokerTransport transport = transport(brokerUrl(), Optional.of(BrokerTls.trusting(pki.otherCa())), registry);

        assertThat(refusedAndRetried(transport, registry, 2))
                .isEqualTo(brokerUrl()
                        + ": TLS handshake failed: the broker's certificate is not signed by a CA in"
                        + " mqtt.external.tls.ca-file " + pki.otherCa());
        // Mosquitto logs every CONNECT it takes ("as <client id>"): the refused one never got that far.
        assertThat(broker.log()).contains("as ctl-test").doesNotContain("as ctl-refused");
    }

    @Test
    void sslWithoutCaFile_trustsTheJdkStore_whichDoesNotKnowThisCa() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BrokerTransport transport = transport(brokerUrl(), Optional.empty(), registry);

        assertThat(refusedAndRetried(transport, registry, 2))
                .isEqualTo(brokerUrl()
                        + ": TLS handshake failed: the broker's certificate is not signed by a CA in the JDK's"
                        + " trust store (no mqtt.external.tls.ca-file is set)");
    }

    @Test
    void certificateForAnotherName_refusedByHostnameVerification() throws Exception {
        MosquittoProcess elsewhere = otherBroker("elsewhere", pki.server("elsewhere", "DNS:other.example"), false);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BrokerTransport transport = transport(elsewhere.sslUrl(), Optional.of(BrokerTls.trusting(pki.ca())), registry);

        assertThat(refusedAndRetried(transport, registry, 2))
                .isEqualTo(elsewhere.sslUrl()
                        + ": TLS handshake failed: the broker's certificate is not for 127.0.0.1 (hostname"
                        + " verification: No subject alternative names matching IP address 127.0.0.1 found)");
        assertThat(elsewhere.log()).doesNotContain("as ctl-refused");
    }

    @Test
    void sslUrlToAPlaintextListener_aClientHelloEachAttempt_neverTheConnectOrThePassword() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String url = "ssl://127.0.0.1:" + plain.getLocalPort();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            BrokerTransport transport = transport(url, Optional.of(BrokerTls.trusting(pki.ca())), registry);

            for (int attempt = 1; attempt <= 2; attempt++) {
                try (Socket connection = plain.accept()) {
                    InputStream in = connection.getInputStream();
                    byte[] record = in.readNBytes(5);
                    // A TLS record: content type 22 (handshake), version 3.x. An MQTT CONNECT starts 0x10.
                    assertThat(record[0]).as("attempt %d", attempt).isEqualTo((byte) 22);
                    assertThat(record[1]).isEqualTo((byte) 3);
                    byte[] hello = in.readNBytes(((record[3] & 0xff) << 8) | (record[4] & 0xff));
                    assertThat(hello[0]).as("ClientHello").isEqualTo((byte) 1);
                    assertThat(new String(hello, StandardCharsets.ISO_8859_1))
                            .doesNotContain("controller-secret")
                            .doesNotContain("MQTT");
                }
            }
            assertThat(refusedAndRetried(transport, registry, 1)).startsWith(url + ": TLS handshake failed: ");
        }
    }

    @Test
    void caFileMissingOrNotPem_theControllerDoesNotStart_namingTheKeyAndTheFile() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        IOException refused = catchThrowableOfType(
                IOException.class,
                () -> Controller.start(
                        config(brokerUrl(), Optional.of(BrokerTls.trusting(missing))), Clock.systemUTC()));
        assertThat(refused).hasMessage("mqtt.external.tls.ca-file " + missing + ": does not exist or is not readable");

        // The broker's key where its certificate belongs: PEM, but no certificate in it.
        IOException notCertificates = catchThrowableOfType(
                IOException.class,
                () -> Controller.start(
                        config(brokerUrl(), Optional.of(BrokerTls.trusting(brokerCert.key()))), Clock.systemUTC()));
        assertThat(notCertificates).hasMessageStartingWith("mqtt.external.tls.ca-file " + brokerCert.key() + ": ");
    }

    // ------------------------------------------------------------------ mutual TLS

    @Test
    void brokerRequiringClientCertificates_controllerWithItsOwn_connects_withoutOne_refused() throws Exception {
        MosquittoProcess strict = otherBroker("strict", brokerCert, true);
        TestPki.Issued own = pki.client(CONTROLLER_USER);
        SimpleMeterRegistry withRegistry = new SimpleMeterRegistry();
        BrokerTransport with = transport(
                strict.sslUrl(),
                Optional.of(new BrokerTls(Optional.of(pki.ca()), Optional.of(own.cert()), Optional.of(own.key()))),
                withRegistry,
                "ctl-with-certificate");
        SimpleMeterRegistry withoutRegistry = new SimpleMeterRegistry();
        BrokerTransport without = transport(strict.sslUrl(), controllerTls(), withoutRegistry);

        await().atMost(WAIT).until(with::connected);
        assertThat(with.problem()).isEmpty();
        // Under TLS 1.3 the broker judges the client's certificate after the client's handshake is
        // done, so the refusal may come as an alert or as the connection ending: either is an outage.
        assertThat(refusedAndRetried(without, withoutRegistry, 2)).startsWith(strict.sslUrl() + ": ");
    }
}
