package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.MqttClientPackets.agentV5;
import static io.headroom.controller.mqtt.MqttClientPackets.publish;
import static io.headroom.controller.mqtt.MqttClientPackets.subscribe;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OTHER_AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.OTHER_AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, overload: a client that publishes without reading, and an observer that does not read,
 * cost the endpoint bounded memory and do not slow a well-behaved agent. On a real socket, with
 * small socket buffers so that a client that does not read fills them within a few hundred
 * messages, and the endpoint's clock in the test's hand for the slow-consumer timeout.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttOverloadIT {
    private static final int LOW = 16 * 1024;
    private static final int HIGH = 32 * 1024;
    private static final int TIMEOUT_SECONDS = 30;
    private static final int LANE = 256;
    private static final int SOCKET_BUFFER = 4096;
    /** Netty's biggest read (AdaptiveRecvByteBufAllocator's maximum): a batch decoded past the high mark. */
    private static final int MAX_READ = 65_536;
    /** Netty's bookkeeping per queued write (ChannelOutboundBuffer's entry overhead, 96) plus a PUBACK's 4 bytes. */
    private static final int PER_PUBACK = 100;

    private final AtomicLong nanos = new AtomicLong(System.nanoTime());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AckingListener listener = new AckingListener();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private MqttEndpoint endpoint;

    /** Counts agents' messages and, as ingest does, publishes an application ack for each Data. */
    private static final class AckingListener implements AgentMessageListener {
        final Map<String, AtomicLong> data = new ConcurrentHashMap<>();
        final AtomicReference<MqttEndpoint> endpoint = new AtomicReference<>();

        @Override
        public void agentConnected(String agentId) {}

        @Override
        public void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {
            if (topic.kind() == TopicKind.DATA) {
                data.computeIfAbsent(topic.agent(), a -> new AtomicLong()).incrementAndGet();
                endpoint.get()
                        .publish(Topics.agent(SITE, topic.agent(), TopicKind.ACK), new byte[] {1, 2, 3}, false, 0);
            }
        }

        @Override
        public void agentDisconnected(String agentId, boolean graceful) {}

        long data(String agent) {
            AtomicLong count = data.get(agent);
            return count == null ? 0 : count.get();
        }
    }

    @BeforeEach
    void start() throws Exception {
        MqttLimits limits = MqttLimits.defaults().withBackPressure(LOW, HIGH, TIMEOUT_SECONDS, LANE);
        endpoint = MqttEndpoint.start(
                TestPrincipals.config(64 * 1024, 30, 64),
                limits,
                null,
                TestPrincipals.store(),
                listener,
                null,
                registry,
                nanos::get,
                SOCKET_BUFFER);
        listener.endpoint.set(endpoint);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
        endpoint.close();
    }

    @Test
    void agentThatPublishesWithoutReading_isNoLongerRead_staysBounded_andIsClosedAfterTheTimeout() throws Exception {
        RawMqttClient good = wellBehavedAgent(OTHER_AGENT, OTHER_AGENT_PASSWORD);
        RawMqttClient flooder = rawClient(agentV5(AGENT, AGENT_PASSWORD, 30));
        flooder.send(subscribe(1, wire(AGENT, TopicKind.ACK)));
        assertThat(flooder.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
        byte[] burst = burst(flooder, wire(AGENT, TopicKind.DATA), 40);
        int packetBytes = burst.length / 1000;
        Thread flood = flood(flooder, burst);

        Channel channel = endpoint.session(AGENT).channel();
        // The kernel's buffers fill in steps (paused, resumed, paused): wait for the state to hold.
        await().atMost(Duration.ofSeconds(60))
                .during(Duration.ofMillis(500))
                .until(() -> gauge("headroom.mqtt.read.paused") == 1
                        && !onLoop(channel, () -> channel.config().isAutoRead()));
        long bound = HIGH + (long) (MAX_READ / packetBytes + 1) * PER_PUBACK + 64L * 256;
        assertThat(onLoop(channel, () -> pendingBytes(channel))).isBetween((long) LOW, bound);
        long readAtPause = settled(channel, () -> listener.data(AGENT));
        double pausesAtPause = pauses();

        // The well-behaved agent gets every PUBACK and every application ack meanwhile.
        for (int i = 1; i <= 200; i++) {
            roundTrip(good, OTHER_AGENT, i, "fine");
        }
        assertThat(listener.data(OTHER_AGENT)).isEqualTo(200);
        // Not read while paused. The kernel may reopen the flooder's TCP window now and then (it
        // compacts a receive queue of small segments): then it drained, was read, and was paused
        // again, which the pause counter shows.
        long readAfter = settled(channel, () -> listener.data(AGENT));
        if (readAfter != readAtPause) {
            assertThat(pauses()).as("reads while paused").isGreaterThan(pausesAtPause);
        }
        assertThat(onLoop(channel, () -> pendingBytes(channel))).isLessThanOrEqualTo(bound);
        assertThat(flood.isAlive()).isTrue(); // blocked in write: TCP pushes back on the client
        assertThat(counter("headroom.mqtt.disconnects", "unwritable")).isZero();

        stepPastTheTimeoutUntilClosed(channel);
        assertThat(counter("headroom.mqtt.disconnects", "unwritable")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("headroom.mqtt.read.paused") == 0);
        flood.join(10_000);
        assertThat(flood.isAlive()).isFalse();

        roundTrip(good, OTHER_AGENT, 201, "still");
        assertThat(listener.data(OTHER_AGENT)).isEqualTo(201);
    }

    @Test
    void connectionClosedWhileUnwritable_whoseDisconnectCannotLeave_isClosedByTheTimeout() throws Exception {
        RawMqttClient flooder = rawClient(agentV5(AGENT, AGENT_PASSWORD, 30));
        Thread flood = flood(flooder, burst(flooder, wire(AGENT, TopicKind.DATA), 40));
        MqttSession session = endpoint.session(AGENT);
        Channel channel = session.channel();
        await().atMost(Duration.ofSeconds(60))
                .during(Duration.ofMillis(500))
                .until(() -> gauge("headroom.mqtt.read.paused") == 1
                        && !onLoop(channel, () -> channel.config().isAutoRead()));
        // What a keep-alive timeout or a violation does: a DISCONNECT, written behind the unsent bytes.
        onLoop(channel, () -> {
            Disconnects.close(session, (byte) 0x8D);
            return null;
        });
        assertThat(channel.isActive()).isTrue();

        stepPastTheTimeoutUntilClosed(channel);
        assertThat(counter("headroom.mqtt.disconnects", "unwritable")).isEqualTo(1);
        flood.join(10_000);
    }

    @Test
    void agentThatStartsReading_isReadAgain() throws Exception {
        RawMqttClient flooder = rawClient(agentV5(AGENT, AGENT_PASSWORD, 30));
        byte[] burst = burst(flooder, wire(AGENT, TopicKind.DATA), 40);
        Thread flood = flood(flooder, burst);
        await().atMost(Duration.ofSeconds(60)).until(() -> gauge("headroom.mqtt.read.paused") == 1);
        Channel channel = endpoint.session(AGENT).channel();
        long readAtPause = settled(channel, () -> listener.data(AGENT));

        // The client reads what waited for it: the endpoint reads it again.
        Thread reader = new Thread(() -> drainQuietly(flooder));
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.data(AGENT) > readAtPause + 10_000);
        assertThat(channel.isActive()).isTrue();
        assertThat(counter("headroom.mqtt.disconnects", "unwritable")).isZero();
        flood.interrupt();
    }

    @Test
    void observerThatDoesNotRead_losesMessagesCounted_agentGetsEveryAck_memoryBounded() throws Exception {
        RawMqttClient observer = rawClient(MqttClientPackets.connect(
                MqttVersion.MQTT_5, "slow-viewer", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties()));
        observer.send(subscribe(1, "headroom/v1/" + SITE + "/+/data"));
        assertThat(observer.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
        RawMqttClient agent = wellBehavedAgent(OTHER_AGENT, OTHER_AGENT_PASSWORD);
        String payload = "x".repeat(8 * 1024);
        int messages = 1500; // 12 MB for an observer that reads nothing: more than any socket buffers hold

        for (int i = 1; i <= messages; i++) {
            roundTrip(agent, OTHER_AGENT, i, payload);
        }

        assertThat(listener.data(OTHER_AGENT)).isEqualTo(messages);
        double dropped = counter("headroom.mqtt.dropped", "queue-full")
                + counter("headroom.mqtt.dropped", MqttMetrics.Drop.OBSERVER_LANE_FULL.tag);
        assertThat(dropped).isPositive();
        MqttSession slow = endpoint.session("slow-viewer");
        Channel channel = slow.channel();
        assertThat(onLoop(channel, () -> (long) slow.outbound().queued()))
                .isLessThanOrEqualTo(OutboundDelivery.QUEUE_CAPACITY);
        assertThat(slow.lane().waiting()).isLessThanOrEqualTo(LANE);
        // Unwritable: at most the high mark plus the one PUBLISH (8 KiB and headers) that crossed it.
        assertThat(onLoop(channel, () -> pendingBytes(channel))).isLessThanOrEqualTo(HIGH + 9 * 1024L);
    }

    /** Eclipse Paho v5, as the agents use it: every PUBACK and application ack arrives, batch-flushed as they are. */
    @Test
    void pahoAgent_publishingManyDataMessages_getsEveryPubAckAndAck_besideAnObserverThatDoesNotRead() throws Exception {
        RawMqttClient observer = rawClient(MqttClientPackets.connect(
                MqttVersion.MQTT_5, "slow-viewer", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties()));
        observer.send(subscribe(1, "headroom/v1/" + SITE + "/+/data"));
        assertThat(observer.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
        AtomicLong acks = new AtomicLong();
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + endpoint.localAddress().getPort(),
                OTHER_AGENT,
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {}

            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                acks.incrementAndGet();
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(
                    int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {}
        });
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions options =
                new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        options.setUserName(OTHER_AGENT);
        options.setPassword(OTHER_AGENT_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        options.setAutomaticReconnect(false);
        client.connect(options);
        closeLater.add(client::close);
        client.subscribe(wire(OTHER_AGENT, TopicKind.ACK), 1);
        for (int i = 0; i < 300; i++) {
            client.publish(
                    wire(OTHER_AGENT, TopicKind.DATA),
                    new org.eclipse.paho.mqttv5.common.MqttMessage(new byte[1024], 1, false, null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> acks.get() == 300);
        client.disconnect();
    }

    private RawMqttClient rawClient(MqttMessage connect) throws IOException {
        RawMqttClient client = new RawMqttClient(endpoint.localAddress(), SOCKET_BUFFER);
        closeLater.add(client);
        client.send(connect);
        assertThat(client.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
        return client;
    }

    /** 1000 QoS 1 publishes (packet ids 1..1000) with a payload of {@code payloadBytes}, encoded once. */
    private static byte[] burst(RawMqttClient client, String topic, int payloadBytes) {
        MqttMessage[] publishes = new MqttMessage[1000];
        for (int i = 0; i < publishes.length; i++) {
            publishes[i] = publish(topic, 1, i + 1, "x".repeat(payloadBytes));
        }
        return client.encode(publishes);
    }

    /** Sends {@code burst} over and over, never reading, until the connection fails. */
    private static Thread flood(RawMqttClient client, byte[] burst) {
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    client.sendRaw(burst);
                }
            } catch (IOException e) {
                // closed by the endpoint, or by the test
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void drainQuietly(RawMqttClient client) {
        try {
            while (client.read() != null) {
                // discard
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** An agent that reads everything and PUBACKs its acks, subscribed to its ack topic. */
    private RawMqttClient wellBehavedAgent(String agent, String password) throws IOException {
        RawMqttClient client = rawClient(agentV5(agent, password, 30));
        client.send(subscribe(1, wire(agent, TopicKind.ACK)));
        assertThat(client.read().fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
        return client;
    }

    /** Publishes Data {@code packetId} at QoS 1 and waits for its PUBACK and its application ack (PUBACKed). */
    private static void roundTrip(RawMqttClient client, String agent, int packetId, String payload) throws IOException {
        client.send(publish(wire(agent, TopicKind.DATA), 1, packetId, payload));
        boolean pubAck = false;
        boolean ack = false;
        while (!pubAck || !ack) {
            MqttMessage reply = client.read();
            assertThat(reply).as("reply to Data " + packetId).isNotNull();
            if (reply.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                assertThat(((MqttMessageIdVariableHeader) reply.variableHeader()).messageId())
                        .isEqualTo(packetId);
                pubAck = true;
            } else if (reply instanceof MqttPublishMessage publish) {
                assertThat(publish.variableHeader().topicName()).isEqualTo(wire(agent, TopicKind.ACK));
                client.send(MqttClientPackets.pubAck(publish.variableHeader().packetId()));
                publish.release();
                ack = true;
            }
        }
    }

    /** Unsent bytes Netty holds for {@code channel}, Netty's per-write overhead included. */
    private static long pendingBytes(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Runs {@code read} on the channel's event loop after two turns of it: whatever read batch was
     * under way, and a read the decoder may have asked for to complete a packet, are done.
     */
    private static <T> T settled(Channel channel, java.util.concurrent.Callable<T> read) throws Exception {
        onLoop(channel, () -> 0);
        return onLoop(channel, read);
    }

    /** Runs {@code read} on the channel's event loop, after whatever it is doing now. */
    private static <T> T onLoop(Channel channel, java.util.concurrent.Callable<T> read) throws Exception {
        return channel.eventLoop().submit(read).get(10, TimeUnit.SECONDS);
    }

    /**
     * Steps the endpoint's clock past the slow-consumer timeout until the connection is closed: a
     * pause that began again after a step (see above) starts its own clock, so one step may not do.
     */
    private void stepPastTheTimeoutUntilClosed(Channel channel) {
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    nanos.addAndGet(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS + 1));
                    return !channel.isActive();
                });
    }

    private double pauses() {
        var counter = registry.find("headroom.mqtt.read.pauses").counter();
        return counter == null ? 0 : counter.count();
    }

    private double gauge(String name) {
        var gauge = registry.find(name).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private double counter(String name, String reason) {
        var counter = registry.find(name).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
