package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.MqttClientPackets.agentV3;
import static io.headroom.controller.mqtt.MqttClientPackets.agentV5;
import static io.headroom.controller.mqtt.MqttClientPackets.connect;
import static io.headroom.controller.mqtt.MqttClientPackets.pubAck;
import static io.headroom.controller.mqtt.MqttClientPackets.subscribe;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.ingest.WireFixtures;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Fuzz-style tests of the MQTT frame decoder with the endpoint's handlers and ingest behind it,
 * and of the protobuf payload parsing: seeded random mutations of the valid byte streams in
 * {@code src/test/resources/fuzz/mqtt/} (checked in; each a hex file of what one client sends).
 *
 * <p>What must hold for every input: nothing escapes the pipeline (EmbeddedChannel rethrows
 * anything that reaches its tail), the endpoint's handlers never hit an unexpected exception
 * ({@code headroom.mqtt.errors}), ingest never fails internally ({@code headroom.ingest.errors}),
 * the connection is either still open or closed (never half-handled), and payload parsing fails
 * only with {@link MalformedPayloadException}.
 *
 * <p>In {@code verify}: {@value #DEFAULT_ITERATIONS} inputs, seed {@value #DEFAULT_SEED}. A longer run:
 * {@code ./mvnw -B -pl controller -am verify -Dtest=MqttFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dheadroom.fuzz.iterations=200000 -Dheadroom.fuzz.seed=$RANDOM}; a failing input is printed as hex,
 * to be added to the corpus. Regenerate the seeds with {@code -Dheadroom.fuzz.writeSeeds=true}.
 */
class MqttFuzzTest {
    static final int DEFAULT_ITERATIONS = 600;
    static final long DEFAULT_SEED = 20261201L;
    private static final Path CORPUS = Path.of("src/test/resources/fuzz/mqtt");
    private static final List<String> SEEDS = List.of(
            "agent-v5-birth-data-ack",
            "agent-v3-birth-data",
            "observer-v5-subscribe",
            "agent-v5-result-death-disconnect");
    private static final CredentialVerifier VERIFIER = new CredentialVerifier(TestPrincipals.store(), Runnable::run);

    private final int iterations = Integer.getInteger("headroom.fuzz.iterations", DEFAULT_ITERATIONS);
    private final long seed = Long.getLong("headroom.fuzz.seed", DEFAULT_SEED);

    // ------------------------------------------------------------------ seeds

    private static byte[] encode(MqttMessage... messages) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        List<byte[]> parts = new ArrayList<>();
        for (MqttMessage message : messages) {
            encoder.writeOutbound(message);
            ByteBuf buf;
            while ((buf = encoder.readOutbound()) != null) {
                parts.add(ByteBufUtil.getBytes(buf));
                buf.release();
            }
        }
        int size = parts.stream().mapToInt(p -> p.length).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return all.array();
    }

    private static MqttMessage publish(TopicKind kind, Message payload) {
        return io.netty.handler.codec.mqtt.MqttMessageBuilders.publish()
                .topicName(wire(AGENT, kind))
                .qos(io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE)
                .retained(false)
                .messageId(1 + kind.ordinal())
                .payload(Unpooled.wrappedBuffer(WireCodec.encode(payload)))
                .properties(MqttProperties.NO_PROPERTIES)
                .build();
    }

    /** The valid streams the corpus starts from. */
    static Map<String, byte[]> seedStreams() {
        Birth birth = WireFixtures.birth(AGENT, 9, 1, 1)
                .addDevices(WireFixtures.miner("m1", 10))
                .addDevices(WireFixtures.pdu("p1", 20))
                .build();
        Data data = WireFixtures.data(9, 2, 1_700_000_000_000L)
                .addAlias(10)
                .addValue(3200)
                .addOffsetMs(0)
                .addQuality(Quality.QUALITY_GOOD)
                .addAlias(11)
                .addValue(-250_000)
                .addOffsetMs(5)
                .addQuality(Quality.QUALITY_UNCERTAIN)
                .build();
        Result result = Result.newBuilder()
                .setBootId(9)
                .setSeq(3)
                .setCommandId("c1")
                .setDeviceId("m1")
                .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                .setTimestampMs(1)
                .build();
        Death death = Death.newBuilder()
                .setAgentId(AGENT)
                .setBootId(9)
                .setSession(1)
                .setReason("stopping")
                .build();
        return Map.of(
                "agent-v5-birth-data-ack",
                encode(
                        agentV5(AGENT, AGENT_PASSWORD, 30),
                        subscribe(1, wire(AGENT, TopicKind.CMD), wire(AGENT, TopicKind.ACK)),
                        publish(TopicKind.BIRTH, birth),
                        publish(TopicKind.DATA, data),
                        pubAck(7),
                        MqttMessage.PINGREQ),
                "agent-v3-birth-data",
                encode(
                        agentV3(AGENT, AGENT_PASSWORD, 30),
                        publish(TopicKind.BIRTH, birth),
                        publish(TopicKind.DATA, data)),
                "observer-v5-subscribe",
                encode(
                        connect(
                                MqttVersion.MQTT_5,
                                "dash",
                                OBSERVER,
                                OBSERVER_PASSWORD,
                                30,
                                null,
                                new MqttProperties()),
                        subscribe(2, Topics.allAgentsFilter(SITE, TopicKind.DATA), "headroom/v1/" + SITE + "/#")),
                "agent-v5-result-death-disconnect",
                encode(
                        agentV5(AGENT, AGENT_PASSWORD, 30),
                        publish(TopicKind.BIRTH, birth),
                        publish(TopicKind.RESULT, result),
                        publish(TopicKind.DEATH, death),
                        MqttClientPackets.disconnect(MqttVersion.MQTT_5, 0)));
    }

    private static byte[] readSeed(String name) {
        try (InputStream in = MqttFuzzTest.class.getResourceAsStream("/fuzz/mqtt/" + name + ".hex")) {
            if (in == null) {
                throw new AssertionError("corpus file fuzz/mqtt/" + name + ".hex is missing");
            }
            return HexFormat.of()
                    .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void corpus_isCurrentAndEverySeedIsAcceptedAsValid() throws IOException {
        Map<String, byte[]> streams = seedStreams();
        if (Boolean.getBoolean("headroom.fuzz.writeSeeds")) {
            for (Map.Entry<String, byte[]> entry : streams.entrySet()) {
                Files.writeString(
                        CORPUS.resolve(entry.getKey() + ".hex"),
                        HexFormat.of().formatHex(entry.getValue()).replaceAll("(.{64})", "$1\n") + "\n");
            }
        }
        for (String name : SEEDS) {
            byte[] seedBytes = readSeed(name);
            assertThat(seedBytes)
                    .as(name + " (regenerate with -Dheadroom.fuzz.writeSeeds=true)")
                    .isEqualTo(streams.get(name));
            Outcome outcome = run(seedBytes, new SplittableRandom(1));
            assertThat(outcome.accepted()).as(name + " connects").isTrue();
        }
    }

    // ------------------------------------------------------------------ the target

    private record Outcome(boolean accepted, double unexpected, double ingestErrors) {}

    /** Feeds {@code input} in random chunks to a fresh endpoint pipeline with ingest behind it. */
    private static Outcome run(byte[] input, SplittableRandom random) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Ingest ingest = new Ingest(
                SITE, new StateStore(), new RecordingPublisher(), (agent, result) -> {}, Clock.systemUTC(), registry);
        AtomicLong nanos = new AtomicLong(1);
        MqttMetrics metrics = new MqttMetrics(registry);
        EndpointContext context =
                new EndpointContext(TestPrincipals.config(8 * 1024, 30, 16), VERIFIER, ingest, metrics, nanos::get);
        ConnectionLimitHandler limit = new ConnectionLimitHandler(metrics.connections(), 10, metrics);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                MqttChannelInitializer.configure(ch.pipeline(), context, limit);
            }
        });
        int at = 0;
        while (at < input.length && channel.isOpen()) {
            int chunk = 1 + random.nextInt(Math.min(64, input.length - at));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, at, at + chunk)));
            channel.runPendingTasks();
            at += chunk;
        }
        releaseAll(channel);
        boolean accepted = channel.attr(MqttSession.KEY).get() != null;
        channel.finishAndReleaseAll();
        channel.checkException();
        return new Outcome(accepted, sum(registry, "headroom.mqtt.errors"), sum(registry, "headroom.ingest.errors"));
    }

    private static void releaseAll(EmbeddedChannel channel) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(out);
        }
    }

    private static double sum(SimpleMeterRegistry registry, String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    // ------------------------------------------------------------------ mutations

    static byte[] mutate(byte[] input, byte[] other, SplittableRandom random) {
        byte[] bytes = input.clone();
        int operations = 1 + random.nextInt(6);
        for (int i = 0; i < operations && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(7)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> bytes[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
                case 3 -> bytes = Arrays.copyOf(bytes, at); // truncate
                case 4 -> { // delete a range
                    int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
                    byte[] shorter = new byte[bytes.length - length];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + length, shorter, at, bytes.length - at - length);
                    bytes = shorter;
                }
                case 5 -> { // insert random bytes
                    byte[] insert = new byte[1 + random.nextInt(8)];
                    random.nextBytes(insert);
                    byte[] longer = new byte[bytes.length + insert.length];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    System.arraycopy(insert, 0, longer, at, insert.length);
                    System.arraycopy(bytes, at, longer, at + insert.length, bytes.length - at);
                    bytes = longer;
                }
                default -> { // splice: our head, another stream's tail
                    int from = random.nextInt(other.length);
                    byte[] spliced = Arrays.copyOf(bytes, at + other.length - from);
                    System.arraycopy(other, from, spliced, at, other.length - from);
                    bytes = spliced;
                }
            }
        }
        return bytes;
    }

    @Test
    void mutatedFrames_neverEscapeTheEndpointNorFailIngest() {
        List<byte[]> corpus = SEEDS.stream().map(MqttFuzzTest::readSeed).toList();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(
                    corpus.get(random.nextInt(corpus.size())), corpus.get(random.nextInt(corpus.size())), random);
            Outcome outcome;
            try {
                outcome = run(input, random.split());
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "input " + i + " (seed " + seed + ") escaped the pipeline: " + e + "\n"
                                + HexFormat.of().formatHex(input),
                        e);
            }
            if (outcome.unexpected() != 0 || outcome.ingestErrors() != 0) {
                fail("input " + i + " (seed " + seed + ") hit an unexpected error (endpoint " + outcome.unexpected()
                        + ", ingest " + outcome.ingestErrors() + "):\n"
                        + HexFormat.of().formatHex(input));
            }
        }
    }

    @Test
    void mutatedPayloads_failOnlyAsMalformedPayloads() {
        Map<Class<? extends Message>, byte[]> payloads = Map.of(
                Birth.class,
                        WireCodec.encode(WireFixtures.birth(AGENT, 9, 1, 1)
                                .addDevices(WireFixtures.miner("m1", 10))
                                .build()),
                Data.class,
                        WireCodec.encode(WireFixtures.data(9, 2, 1)
                                .addAlias(10)
                                .addValue(1)
                                .build()),
                Death.class,
                        WireCodec.encode(Death.newBuilder()
                                .setAgentId(AGENT)
                                .setBootId(9)
                                .build()));
        SplittableRandom random = new SplittableRandom(seed);
        List<Class<? extends Message>> types = List.copyOf(payloads.keySet());
        for (int i = 0; i < iterations * 10; i++) {
            Class<? extends Message> type = types.get(random.nextInt(types.size()));
            byte[] input = mutate(payloads.get(type), payloads.get(types.get(random.nextInt(types.size()))), random);
            try {
                WireCodec.decode(input, type);
            } catch (MalformedPayloadException expected) {
                // the one documented failure
            } catch (RuntimeException e) {
                throw new AssertionError(
                        type.getSimpleName() + " input " + i + " (seed " + seed + "): " + e + "\n"
                                + HexFormat.of().formatHex(input),
                        e);
            }
        }
    }
}
