package io.headroom.bench;

import io.headroom.controller.mqtt.Credential;
import io.headroom.controller.mqtt.CredentialStore;
import io.headroom.controller.mqtt.MqttEndpoint;
import io.headroom.controller.mqtt.MqttEndpointConfig;
import io.headroom.controller.mqtt.MqttLimits;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.mqtt.Role;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 9's overload cases against the controller's own MQTT endpoint, in-process, over loopback:
 * memory stays flat and every message is accounted for (a) beside a client that publishes QoS 1
 * Data as fast as it can and never reads its socket, and (b) beside an observer subscribed to all
 * Data that never reads. In each, a well-behaved agent does a fixed number of Data round trips
 * (publish, PUBACK, application ack, PUBACK of the ack). Heap used after a full GC is taken at the
 * start, half-way and at the end. Prints one line per case:
 *
 * <pre>
 * BENCH overload case=flood messages=… applied=… acks=… flood_sent=… flood_applied=… flood_unread=…
 *       disconnects_unwritable=… heap_mb_start=… heap_mb_mid=… heap_mb_end=… round_trips_per_s=…
 * BENCH overload case=observer messages=… applied=… acks=… observer_written=… dropped_queue_full=…
 *       dropped_lane_full=… dropped_connection_closed=… accounted=… heap_mb_start=… …
 * </pre>
 *
 * {@code flood_unread} are messages the flooding client wrote that the endpoint never read: TCP
 * held them back (an agent's outbox keeps them) until the client was closed as a slow consumer.
 * {@code accounted} is whether observer_written + every drop = messages (the observer leaves once
 * the agent is done, and what still waited for it counts as {@code connection-closed}). Each case
 * has an endpoint of its own; the flood case closes slow consumers after 5 s, the observer case
 * after the default 30 s (longer than its run). Arguments: the number of round trips per case
 * (default 20,000); {@code --unbounded-writes} as the second sets the high water mark to 1 GiB, which
 * turns back-pressure off and reproduces issue 9's finding (the flood case's heap grows).
 */
public final class OverloadBench {
    private static final String SITE = "bench";
    private static final String PASSWORD = "bench-secret";
    private static final int UNWRITABLE_TIMEOUT_SECONDS = 5;

    private static int highWaterMark = MqttLimits.DEFAULT_WRITE_BUFFER_HIGH_BYTES;

    private OverloadBench() {}

    /** Counts Data per agent and acks each, as ingest does. */
    private static final class AckingListener implements AgentMessageListener {
        final Map<String, AtomicLong> data = new ConcurrentHashMap<>();
        volatile MqttEndpoint endpoint;

        @Override
        public void agentConnected(String agentId) {}

        @Override
        public void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {
            if (topic.kind() == TopicKind.DATA) {
                data.computeIfAbsent(topic.agent(), a -> new AtomicLong()).incrementAndGet();
                endpoint.publish(Topics.agent(SITE, topic.agent(), TopicKind.ACK), new byte[] {8, 1}, false, 0);
            }
        }

        @Override
        public void agentDisconnected(String agentId, boolean graceful) {}

        long data(String agent) {
            AtomicLong count = data.get(agent);
            return count == null ? 0 : count.get();
        }
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        if (args.length > 1 && args[1].equals("--unbounded-writes")) {
            // Issue 9's finding, reproduced: water marks so high that the endpoint never stops reading.
            highWaterMark = 1 << 30;
        }
        CredentialStore credentials = CredentialStore.of(List.of(
                credential("good-1", Role.AGENT),
                credential("flood-1", Role.AGENT),
                credential("good-2", Role.AGENT),
                credential("viewer", Role.OBSERVER)));
        System.out.println(run(credentials, UNWRITABLE_TIMEOUT_SECONDS, (e, l, r) -> flood(e, l, r, messages)));
        // The observer stays for the whole run (the default timeout) and then leaves by itself.
        System.out.println(run(
                credentials, MqttLimits.DEFAULT_UNWRITABLE_TIMEOUT_SECONDS, (e, l, r) -> observer(e, l, r, messages)));
    }

    private interface Case {
        String run(MqttEndpoint endpoint, AckingListener listener, SimpleMeterRegistry registry) throws Exception;
    }

    /** Runs {@code benchCase} against an endpoint of its own. */
    private static String run(CredentialStore credentials, int unwritableTimeoutSeconds, Case benchCase)
            throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AckingListener listener = new AckingListener();
        MqttLimits limits = MqttLimits.defaults()
                .withBackPressure(
                        Math.min(MqttLimits.DEFAULT_WRITE_BUFFER_LOW_BYTES, highWaterMark / 2),
                        highWaterMark,
                        unwritableTimeoutSeconds,
                        MqttLimits.DEFAULT_OBSERVER_LANE_CAPACITY);
        try (MqttEndpoint endpoint = MqttEndpoint.start(
                new MqttEndpointConfig(SITE, "127.0.0.1", 0, 1 << 20, 30, 64, 10, 100),
                limits,
                null,
                credentials,
                listener,
                registry)) {
            listener.endpoint = endpoint;
            return benchCase.run(endpoint, listener, registry);
        }
    }

    private static String flood(MqttEndpoint endpoint, AckingListener listener, SimpleMeterRegistry registry, int n)
            throws Exception {
        double disconnectsBefore = count(registry, "headroom.mqtt.disconnects", "unwritable");
        double heapStart = heapMbAfterGc();
        Client good = Client.agent(endpoint.localAddress(), "good-1");
        Client flooder = Client.agent(endpoint.localAddress(), "flood-1");
        byte[] burst = flooder.encodeBurst(
                Topics.agent(SITE, "flood-1", TopicKind.DATA).toWire(), 40);
        AtomicLong floodSent = new AtomicLong();
        Thread flood = new Thread(() -> {
            try {
                while (true) {
                    flooder.sendRaw(burst);
                    floodSent.addAndGet(1000);
                }
            } catch (IOException e) {
                // closed by the endpoint as a slow consumer
            }
        });
        flood.setDaemon(true);
        flood.start();
        long start = System.nanoTime();
        double heapMid = 0;
        String topic = Topics.agent(SITE, "good-1", TopicKind.DATA).toWire();
        for (int i = 1; i <= n; i++) {
            good.roundTrip(topic, i, "data");
            if (i == n / 2) {
                heapMid = heapMbAfterGc();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double heapEnd = heapMbAfterGc();
        flood.join(60_000);
        long floodApplied = listener.data("flood-1");
        String line = String.format(
                Locale.ROOT,
                "BENCH overload case=flood messages=%d applied=%d acks=%d flood_sent=%d flood_applied=%d"
                        + " flood_unread=%d disconnects_unwritable=%.0f heap_mb_start=%.1f heap_mb_mid=%.1f"
                        + " heap_mb_end=%.1f round_trips_per_s=%.0f",
                n,
                listener.data("good-1"),
                good.acks,
                floodSent.get(),
                floodApplied,
                floodSent.get() - floodApplied,
                count(registry, "headroom.mqtt.disconnects", "unwritable") - disconnectsBefore,
                heapStart,
                heapMid,
                heapEnd,
                n / seconds);
        good.close();
        flooder.close();
        return line;
    }

    private static String observer(MqttEndpoint endpoint, AckingListener listener, SimpleMeterRegistry registry, int n)
            throws Exception {
        double sentBefore = registry.counter("headroom.mqtt.messages.sent").count();
        double queueFullBefore = count(registry, "headroom.mqtt.dropped", "queue-full");
        double laneFullBefore = count(registry, "headroom.mqtt.dropped", "observer-lane-full");
        double closedBefore = count(registry, "headroom.mqtt.dropped", "connection-closed");
        double heapStart = heapMbAfterGc();
        Client viewer = Client.observer(endpoint.localAddress(), "viewer", "headroom/v1/" + SITE + "/+/data");
        Client good = Client.agent(endpoint.localAddress(), "good-2");
        String payload = "x".repeat(1024);
        String topic = Topics.agent(SITE, "good-2", TopicKind.DATA).toWire();
        long start = System.nanoTime();
        double heapMid = 0;
        for (int i = 1; i <= n; i++) {
            good.roundTrip(topic, i, payload);
            if (i == n / 2) {
                heapMid = heapMbAfterGc();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double heapEnd = heapMbAfterGc();
        // The observer leaves without having read anything: what still waited for it is counted.
        viewer.close();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (registry.find("headroom.mqtt.sessions")
                                .tag("role", "observer")
                                .gauge()
                                .value()
                        > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        good.close();
        long written =
                Math.round(registry.counter("headroom.mqtt.messages.sent").count() - sentBefore) - good.acks;
        long queueFull = Math.round(count(registry, "headroom.mqtt.dropped", "queue-full") - queueFullBefore);
        long laneFull = Math.round(count(registry, "headroom.mqtt.dropped", "observer-lane-full") - laneFullBefore);
        long closed = Math.round(count(registry, "headroom.mqtt.dropped", "connection-closed") - closedBefore);
        return String.format(
                Locale.ROOT,
                "BENCH overload case=observer messages=%d applied=%d acks=%d observer_written=%d"
                        + " dropped_queue_full=%d dropped_lane_full=%d dropped_connection_closed=%d accounted=%b"
                        + " heap_mb_start=%.1f heap_mb_mid=%.1f heap_mb_end=%.1f round_trips_per_s=%.0f",
                n,
                listener.data("good-2"),
                good.acks,
                written,
                queueFull,
                laneFull,
                closed,
                written + queueFull + laneFull + closed == n,
                heapStart,
                heapMid,
                heapEnd,
                n / seconds);
    }

    private static Credential credential(String name, Role role) {
        return new Credential(name, role, PasswordHash.create(PASSWORD.toCharArray()));
    }

    private static double count(SimpleMeterRegistry registry, String name, String reason) {
        Counter counter = registry.find(name).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double heapMbAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** A hand-driven MQTT 5 client on a plain socket, Netty's codec on both sides of it. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));
        private final byte[] chunk = new byte[65_536];
        long acks;

        private Client(InetSocketAddress address, String clientId, String username) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setReceiveBufferSize(4096);
            socket.connect(address, 5_000);
            socket.setSoTimeout(30_000);
            MqttConnectMessage connect = MqttMessageBuilders.connect()
                    .protocolVersion(MqttVersion.MQTT_5)
                    .clientId(clientId)
                    .cleanSession(true)
                    .keepAlive(30)
                    .hasUser(true)
                    .username(username)
                    .hasPassword(true)
                    .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                    .properties(new MqttProperties())
                    .build();
            byte[] bytes = encode(connect);
            decoder.writeInbound(Unpooled.wrappedBuffer(bytes)); // teaches the decoder MQTT 5
            decoder.readInbound();
            sendRaw(bytes);
            expect(MqttMessageType.CONNACK);
        }

        static Client agent(InetSocketAddress address, String agent) throws IOException {
            Client client = new Client(address, agent, agent);
            client.subscribe(Topics.agent(SITE, agent, TopicKind.ACK).toWire());
            return client;
        }

        static Client observer(InetSocketAddress address, String name, String filter) throws IOException {
            Client client = new Client(address, name + "-1", name);
            client.subscribe(filter);
            return client;
        }

        private void subscribe(String filter) throws IOException {
            sendRaw(encode(MqttMessageBuilders.subscribe()
                    .messageId(1)
                    .addSubscription(MqttQoS.AT_LEAST_ONCE, filter)
                    .build()));
            expect(MqttMessageType.SUBACK);
        }

        byte[] encodeBurst(String topic, int payloadBytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 1; i <= 1000; i++) {
                out.writeBytes(encode(publish(topic, i, "x".repeat(payloadBytes))));
            }
            return out.toByteArray();
        }

        void roundTrip(String topic, int packetId, String payload) throws IOException {
            sendRaw(encode(publish(topic, (packetId - 1) % 65_535 + 1, payload)));
            boolean pubAck = false;
            boolean ack = false;
            while (!pubAck || !ack) {
                MqttMessage reply = read();
                if (reply.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                    pubAck = true;
                } else if (reply instanceof MqttPublishMessage publish) {
                    sendRaw(encode(MqttMessageBuilders.pubAck()
                            .packetId(publish.variableHeader().packetId())
                            .reasonCode((byte) 0)
                            .build()));
                    publish.release();
                    acks++;
                    ack = true;
                }
            }
        }

        private static MqttPublishMessage publish(String topic, int packetId, String payload) {
            return MqttMessageBuilders.publish()
                    .topicName(topic)
                    .qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(packetId)
                    .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
                    .properties(MqttProperties.NO_PROPERTIES)
                    .build();
        }

        private byte[] encode(MqttMessage message) {
            encoder.writeOutbound(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuf buf;
            while ((buf = encoder.readOutbound()) != null) {
                out.writeBytes(ByteBufUtil.getBytes(buf));
                buf.release();
            }
            return out.toByteArray();
        }

        void sendRaw(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
        }

        private void expect(MqttMessageType type) throws IOException {
            MqttMessage message = read();
            if (message.fixedHeader().messageType() != type) {
                throw new IOException(
                        "expected " + type + ", got " + message.fixedHeader().messageType());
            }
        }

        private MqttMessage read() throws IOException {
            InputStream in = socket.getInputStream();
            while (true) {
                MqttMessage message = decoder.readInbound();
                if (message != null) {
                    return message;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("the endpoint closed the connection");
                }
                decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            encoder.finishAndReleaseAll();
            decoder.finishAndReleaseAll();
        }
    }
}
