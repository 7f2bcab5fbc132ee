package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile or absent brokers, without a real one: a peer that accepts TCP and never answers CONNACK,
 * a port nobody listens on, a password file that does not exist. The transport never hangs the
 * caller, counts each failed attempt, keeps trying, drops what it is asked to publish meanwhile
 * (counted), and closes promptly.
 */
@Timeout(30)
class BrokerTransportSilentPeerTest {

    private static final AgentMessageListener IGNORING = new AgentMessageListener() {
        @Override
        public void agentConnected(String agentId) {}

        @Override
        public void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {}

        @Override
        public void agentDisconnected(String agentId, boolean graceful) {}
    };

    private static ExternalBrokerConfig config(int port, Path passwordFile) {
        return new ExternalBrokerConfig(
                URI.create("tcp://127.0.0.1:" + port),
                Optional.of("silent-test"),
                "controller",
                new SecretRef.File(passwordFile),
                Optional.empty(),
                Optional.empty(),
                Duration.ZERO,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMillis(20),
                Duration.ofMillis(100));
    }

    private static double count(SimpleMeterRegistry registry, String name) {
        var counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double publishDropped(SimpleMeterRegistry registry, String reason) {
        var counter = registry.find("headroom.broker.publish.dropped")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void peerThatNeverAnswersConnack_attemptTimesOut_isCountedAndRetried() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept()); // held open, never read or answered
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            java.nio.file.Path password = java.nio.file.Files.createTempFile("broker", ".password");
            java.nio.file.Files.writeString(password, "secret\n");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            BrokerTransport transport = BrokerTransport.start(
                    config(silent.getLocalPort(), password),
                    "s1",
                    "c1",
                    IGNORING,
                    null,
                    false,
                    new byte[] {8, 0},
                    SecretResolver.system(),
                    registry);
            try {
                // connect-timeout 1 s + 1 s for the CONNACK: a second attempt means the first was given up.
                await().atMost(Duration.ofSeconds(15)).until(() -> held.size() >= 2);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> count(registry, "headroom.broker.connect.failures") >= 1);
                assertThat(transport.connected()).isFalse();
                assertThat(count(registry, "headroom.broker.outages")).isEqualTo(1);
                assertThat(transport.publish(Topics.agent("s1", "a", TopicKind.ACK), new byte[] {1}, false, 0))
                        .isZero();
                assertThat(publishDropped(registry, "disconnected")).isEqualTo(1);
            } finally {
                long start = System.nanoTime();
                transport.close();
                transport.close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void nobodyListening_isOneOutage_withEveryAttemptCounted() throws Exception {
        java.nio.file.Path password = java.nio.file.Files.createTempFile("broker", ".password");
        java.nio.file.Files.writeString(password, "secret\n");
        assertOutageOnly(password);
    }

    @Test
    void missingPasswordFile_isAnOutageNotACrash() throws Exception {
        assertOutageOnly(Path.of("/nonexistent/headroom/broker.password"));
    }

    private static void assertOutageOnly(Path password) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BrokerTransport transport = BrokerTransport.start(
                config(closedPort, password),
                "s1",
                "c1",
                IGNORING,
                null,
                false,
                new byte[] {8, 0},
                SecretResolver.system(),
                registry)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> count(registry, "headroom.broker.connect.failures") >= 3);
            assertThat(transport.connected()).isFalse();
            assertThat(count(registry, "headroom.broker.outages")).isEqualTo(1);
        }
    }
}
