package io.headroom.bench;

import io.headroom.controller.history.History;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * One agent's rack as the controller's ingest sees it: a Birth of {@code devices} miners with
 * {@link #METRICS_PER_MINER} metrics each, then Data messages in which every metric of every
 * miner changed (the agent's worst case: report-by-exception sends only changes).
 *
 * <p>The Data payload is encoded once. Each {@link #next()} rewrites only its tail, where the
 * {@code seq} and {@code timestamp_ms} fields sit (protobuf fields may come in any order on the
 * wire), so that the benchmark measures ingest, not the encoding of its input, and every message
 * is new to the deduplication and newer than the readings already stored.
 */
public final class IngestFixture {
    static final String SITE = "bench";
    static final String AGENT = "rack-1";
    static final long BOOT_ID = 0x5EED_0001L;

    /** An Antminer-class miner: power, hashrate, 3 chip and 3 board temperatures, 4 fans. */
    static final int METRICS_PER_MINER = 12;

    private static final int SEQ_TAG = (2 << 3); // field 2, varint
    private static final int TIMESTAMP_TAG = (3 << 3); // field 3, varint
    private static final int MAX_TAIL = 2 * (1 + 10); // two tags and two varints of at most 10 bytes

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StateStore store = new StateStore();
    private final Ingest ingest;
    /** Per agent: its Data topic and the last seq handed out. Agent 0 is {@link #AGENT}. */
    private final Topic.AgentTopic[] dataTopics;

    private final long[] seqs;
    private final int samplesPerMessage;
    private final byte[] buffer;
    private final int bodyLength;
    private final ByteBuffer payload;
    private long timestampMs = START_MS;

    /** The Birth's timestamp; the first {@link #next()} is 1 ms later. */
    static final long START_MS = 1_700_000_000_000L;

    /** A connected, born agent with {@code devices} miners; the first {@link #next()} is seq 2. */
    public IngestFixture(int devices) {
        this(devices, false);
    }

    /** As {@link #IngestFixture(int)}; with {@code history}, every sample also goes to a short-term history. */
    public IngestFixture(int devices, boolean history) {
        this(1, devices, history);
    }

    /**
     * {@code agents} connected, born agents of one ingest and store, each with {@code devices} miners
     * of their own ids and the same aliases (an alias is an agent's own), so one Data body serves all:
     * a site's fleet as one controller's ingest sees it ({@link FleetIngestBench}).
     */
    public IngestFixture(int agents, int devices, boolean history) {
        ingest = new Ingest(
                SITE,
                store,
                (topic, bytes, retain, expiry) -> 0,
                (agent, result) -> {},
                Clock.systemUTC(),
                registry,
                Ingest.DEFAULT_CLOCK_TOLERANCE,
                history ? new History(registry) : History.off());
        dataTopics = new Topic.AgentTopic[agents];
        seqs = new long[agents];
        Data.Builder body = null;
        for (int a = 0; a < agents; a++) {
            String agent = a == 0 ? AGENT : "rack-" + (a + 1);
            dataTopics[a] = Topics.agent(SITE, agent, TopicKind.DATA);
            seqs[a] = 1;
            ingest.agentConnected(agent);
            Data.Builder agentBody = Data.newBuilder().setBootId(BOOT_ID);
            ingest.agentMessage(
                    Topics.agent(SITE, agent, TopicKind.BIRTH),
                    ByteBuffer.wrap(WireCodec.encode(birth(agent, a == 0 ? "" : agent + "-", devices, agentBody))));
            if (body == null) {
                body = agentBody;
            }
        }
        samplesPerMessage = body.getAliasCount();
        byte[] encoded = WireCodec.encode(body.build());
        bodyLength = encoded.length;
        buffer = Arrays.copyOf(encoded, bodyLength + MAX_TAIL);
        payload = ByteBuffer.wrap(buffer);
    }

    /** The agent's Birth of {@code devices} miners, ids prefixed; their aliases and values added to {@code body}. */
    private static Birth birth(String agent, String idPrefix, int devices, Data.Builder body) {
        Birth.Builder birth = Birth.newBuilder()
                .setAgentId(agent)
                .setBootId(BOOT_ID)
                .setSeq(1)
                .setPendingFromSeq(1)
                .setSession(1)
                .setTimestampMs(START_MS)
                .setAgentVersion("bench");
        int alias = 1;
        for (int d = 0; d < devices; d++) {
            DeviceDescriptor.Builder miner = DeviceDescriptor.newBuilder()
                    .setId(idPrefix + String.format("miner-%05d", d))
                    .setKind(DeviceKind.DEVICE_KIND_MINER)
                    .setModel("Antminer S19 XP")
                    .setProfile("luxor/luxos")
                    .setNameplatePowerW(3010);
            for (String[] metric : minerMetrics()) {
                miner.addMetrics(MetricDefinition.newBuilder()
                        .setAlias(alias)
                        .setName(metric[0])
                        .setInstance(metric[1])
                        .setUnit(MetricDictionary.require(metric[0]).unit())
                        .setType(MetricType.METRIC_TYPE_GAUGE));
                // Plausible values (the controller stores implausible ones as BAD): mid-range, varied a little.
                var range = MetricDictionary.require(metric[0]);
                body.addAlias(alias).addValue((range.plausibleMin() + range.plausibleMax()) / 2 + alias % 7);
                alias++;
            }
            birth.addDevices(miner);
        }
        return birth.build();
    }

    /** A miner's twelve metrics, as {name, instance}: what every bench's rack reports. */
    static List<String[]> minerMetrics() {
        return List.of(
                new String[] {MetricDictionary.POWER, ""},
                new String[] {MetricDictionary.HASHRATE, ""},
                new String[] {MetricDictionary.TEMPERATURE_CHIP, "board1"},
                new String[] {MetricDictionary.TEMPERATURE_CHIP, "board2"},
                new String[] {MetricDictionary.TEMPERATURE_CHIP, "board3"},
                new String[] {MetricDictionary.TEMPERATURE_BOARD, "board1"},
                new String[] {MetricDictionary.TEMPERATURE_BOARD, "board2"},
                new String[] {MetricDictionary.TEMPERATURE_BOARD, "board3"},
                new String[] {MetricDictionary.FAN_SPEED, "fan1"},
                new String[] {MetricDictionary.FAN_SPEED, "fan2"},
                new String[] {MetricDictionary.FAN_SPEED, "fan3"},
                new String[] {MetricDictionary.FAN_SPEED, "fan4"});
    }

    /** The first agent's next Data message (seq and timestamp one higher than the last), ready to read. */
    public ByteBuffer next() {
        timestampMs++;
        return next(0, timestampMs);
    }

    /** Agent {@code agent}'s next Data message (its seq one higher than its last), stamped {@code atMillis}. */
    private ByteBuffer next(int agent, long atMillis) {
        int at = bodyLength;
        buffer[at++] = (byte) SEQ_TAG;
        at = writeVarint(++seqs[agent], at);
        buffer[at++] = (byte) TIMESTAMP_TAG;
        at = writeVarint(atMillis, at);
        payload.clear().limit(at);
        return payload;
    }

    private int writeVarint(long value, int at) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buffer[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[at++] = (byte) v;
        return at;
    }

    /** Hands the next Data message to ingest, as the MQTT endpoint would. */
    public void ingestNext() {
        ingest.agentMessage(dataTopics[0], next());
    }

    /** Hands agent {@code agent}'s next Data message, stamped {@code atMillis}, to ingest. */
    public void ingest(int agent, long atMillis) {
        ingest.agentMessage(dataTopics[agent], next(agent, atMillis));
    }

    public int agents() {
        return dataTopics.length;
    }

    public int samplesPerMessage() {
        return samplesPerMessage;
    }

    public StateStore store() {
        return store;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Last seq handed out to the first agent. */
    public long seq() {
        return seqs[0];
    }
}
