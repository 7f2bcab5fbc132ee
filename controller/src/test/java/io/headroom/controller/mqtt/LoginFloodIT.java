package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, problem 3 (MQTT half), scaled to 2 cores: 300 concurrent wrong-password CONNECTs from
 * one address while the real agent connects from another. The agent gets in within a bounded
 * number of attempts, the flood is answered or cut off, and the log stays a few lines long.
 * Flood sockets come from 127.0.0.2 / 127.0.0.3, the agent from 127.0.0.1 (all loopback).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginFloodIT {
    private static final int FLOOD = 300;
    /** Costly enough (tens of ms each) that 300 checks in one queue would keep an agent out for seconds. */
    private static final int ITERATIONS = 100_000;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Socket> flood = new ArrayList<>();
    private MqttEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        CredentialStore store = CredentialStore.of(List.of(
                new Credential(AGENT, Role.AGENT, PasswordHash.create(AGENT_PASSWORD.toCharArray(), ITERATIONS)),
                new Credential(
                        "viewer", Role.OBSERVER, PasswordHash.create("viewer-secret".toCharArray(), ITERATIONS))));
        // A short CONNECT timeout: a flood connection whose check is still queued is closed by it, and
        // its check then skipped (the channel does not read while its password is checked).
        MqttEndpointConfig config = new MqttEndpointConfig(SITE, "127.0.0.1", 0, 4096, 30, 64, 3, 10_000);
        endpoint = MqttEndpoint.start(config, MqttLimits.defaults(), null, store, new RecordingListener(), registry);
    }

    @AfterEach
    void stop() {
        for (Socket socket : flood) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed by the server
            }
        }
        endpoint.close();
    }

    private static byte[] connectBytes(String clientId, String username, String password) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(MqttClientPackets.connect(
                MqttVersion.MQTT_5, clientId, username, password, 30, null, new MqttProperties()));
        ByteBuf buf = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        return bytes;
    }

    /**
     * Opens {@link #FLOOD} connections spread over {@code sources} addresses from 127.0.0.2 up,
     * each sending one CONNECT, all left open.
     */
    private void flood(int sources, boolean guessTheAgentsPassword) throws IOException {
        InetSocketAddress target = endpoint.localAddress();
        List<byte[]> connects = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            String name = guessTheAgentsPassword ? AGENT : "guess-" + i;
            connects.add(connectBytes(name, name, "wrong-" + i));
            Socket socket = new Socket();
            flood.add(socket);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + i % sources)), 0));
            socket.connect(target, 5_000);
        }
        // Connected first, CONNECTs all at once: the checks pile up right as the agent arrives.
        for (int i = 0; i < FLOOD; i++) {
            try {
                OutputStream out = flood.get(i).getOutputStream();
                out.write(connects.get(i));
                out.flush();
            } catch (IOException e) {
                // Closed on accept (pre-auth limit, penalty): that is the point.
            }
        }
    }

    /** Connects the real agent with Paho, retrying every 100 ms as a reconnecting agent would; returns attempts. */
    private int connectAgent() throws Exception {
        MqttClient client =
                new MqttClient("tcp://127.0.0.1:" + endpoint.localAddress().getPort(), AGENT, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(AGENT);
        options.setPassword(AGENT_PASSWORD.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        // Far longer than one check (tens of ms), far shorter than the flood's checks in one queue (many s).
        options.setConnectionTimeout(3);
        AtomicInteger attempts = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .pollInSameThread()
                .until(() -> {
                    attempts.incrementAndGet();
                    try {
                        client.connect(options);
                        return true;
                    } catch (MqttException e) {
                        return false;
                    }
                });
        client.disconnect();
        client.close();
        return attempts.get();
    }

    /** Closes the flood's connections and waits until the endpoint has closed its side of each. */
    private void hangUp() throws IOException {
        for (Socket socket : flood) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> registry.get("headroom.mqtt.connections").gauge().value() == 0);
    }

    private double count(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Flood connections the endpoint has answered so far: refused on accept or with a CONNACK. */
    private double floodHandled() {
        return count("headroom.mqtt.violations", "reason", "pre-auth-limit")
                + count("headroom.mqtt.violations", "reason", "address-penalised")
                + count("headroom.mqtt.connect.attempts", "result", "bad-credentials")
                + count("headroom.mqtt.connect.attempts", "result", "server-busy");
    }

    private double logLines(String outcome) {
        return registry.find("headroom.log.lines").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void floodOfUnknownUsernamesFromTenAddresses_agentGetsInAtOnce_logBounded() throws Exception {
        flood(10, false);

        int attempts = connectAgent();

        assertThat(attempts)
                .as("unknown usernames are checked in their own lane")
                .isEqualTo(1);
        assertThat(floodHandled()).as("the flood was still being checked").isLessThan(FLOOD);
        hangUp();
        assertThat(logLines("written")).as("a few lines per kind of refusal").isLessThanOrEqualTo(40);
        assertThat(logLines("suppressed")).isGreaterThan(0);
    }

    @Test
    void floodFromOneAddress_mostOfItNeverReachesAPasswordCheck() throws Exception {
        flood(1, false);

        assertThat(connectAgent()).isEqualTo(1);
        hangUp();
        assertThat(count("headroom.mqtt.violations", "reason", "address-penalised")
                        + count("headroom.mqtt.violations", "reason", "pre-auth-limit"))
                .as(
                        "cut off on accept: %d pending at most, penalised after 10 failures",
                        MqttLimits.DEFAULT_MAX_PRE_AUTH_PER_ADDRESS)
                .isGreaterThan(FLOOD / 2.0);
    }

    @Test
    void floodGuessingTheAgentsOwnPassword_agentGetsInWithinABoundedNumberOfAttempts() throws Exception {
        flood(1, true);

        int attempts = connectAgent();

        assertThat(attempts).isLessThanOrEqualTo(20);
        hangUp();
        assertThat(count("headroom.mqtt.connect.attempts", "result", "bad-credentials"))
                .as("guesses are hashed two at a time, and the address is cut off after 10 failures")
                .isLessThan(FLOOD / 4.0);
        assertThat(logLines("written")).isLessThanOrEqualTo(40);
    }
}
