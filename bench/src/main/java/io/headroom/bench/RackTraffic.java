package io.headroom.bench;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What one load-generator agent sends: a Birth of {@code devices} miners with 12 metrics each, then
 * Data messages in which every value has drifted a little since the last one (a random walk kept
 * inside the metric's plausible range, so nothing is stored as BAD and every sample is a change).
 *
 * <p>The Data body is encoded once. protobuf writes fields in number order and this body has only
 * {@code boot_id} (1), {@code alias} (5) and {@code value} (6), so the packed doubles are its last
 * {@code 8 × samples} bytes: {@link #next} rewrites them in place, then appends {@code seq} (2) and
 * {@code timestamp_ms} (3), which protobuf accepts in any order. Encoding a message therefore costs
 * the generator a few hundred stores, not a protobuf build, and the controller still decodes a
 * normal message. {@code RackTrafficTest} decodes the result to prove it.
 */
final class RackTraffic {
    static final int METRICS_PER_MINER = IngestFixture.METRICS_PER_MINER;

    private static final int SEQ_TAG = 2 << 3; // field 2, varint
    private static final int TIMESTAMP_TAG = 3 << 3; // field 3, varint
    private static final int MAX_TAIL = 2 * (1 + 10);

    private final String agent;
    private final long bootId;
    private final byte[] birth;
    private final int samples;
    private final int valuesAt;
    private final int bodyLength;
    private final byte[] buffer;
    private final ByteBuffer doubles;
    private final double[] values;
    private final double[] min;
    private final double[] max;
    private final SplittableRandom random;

    /** @param deviceOffset numbers this agent's miners from here, so that ids are unique across agents */
    RackTraffic(String agent, long bootId, int devices, int deviceOffset, long seed) {
        this.agent = agent;
        this.bootId = bootId;
        this.random = new SplittableRandom(seed);
        Birth.Builder birthMessage = Birth.newBuilder()
                .setAgentId(agent)
                .setBootId(bootId)
                .setSeq(1)
                .setPendingFromSeq(1)
                .setSession(1)
                .setTimestampMs(System.currentTimeMillis())
                .setAgentVersion("bench");
        Data.Builder body = Data.newBuilder().setBootId(bootId);
        samples = devices * METRICS_PER_MINER;
        values = new double[samples];
        min = new double[samples];
        max = new double[samples];
        int alias = 1;
        for (int d = 0; d < devices; d++) {
            DeviceDescriptor.Builder miner = DeviceDescriptor.newBuilder()
                    .setId(deviceId(deviceOffset + d))
                    .setKind(DeviceKind.DEVICE_KIND_MINER)
                    .setModel("Antminer S19 XP")
                    .setProfile("luxor/luxos")
                    .setNameplatePowerW(3010);
            for (String[] metric : IngestFixture.minerMetrics()) {
                var range = MetricDictionary.require(metric[0]);
                miner.addMetrics(MetricDefinition.newBuilder()
                        .setAlias(alias)
                        .setName(metric[0])
                        .setInstance(metric[1])
                        .setUnit(range.unit())
                        .setType(MetricType.METRIC_TYPE_GAUGE));
                int i = alias - 1;
                // Drift within the middle half of the plausible range: a change, never implausible.
                double span = range.plausibleMax() - range.plausibleMin();
                min[i] = range.plausibleMin() + span / 4;
                max[i] = range.plausibleMax() - span / 4;
                values[i] = min[i] + random.nextDouble() * (max[i] - min[i]);
                body.addAlias(alias).addValue(values[i]);
                alias++;
            }
            birthMessage.addDevices(miner);
        }
        birth = WireCodec.encode(birthMessage.build());
        byte[] encoded = WireCodec.encode(body.build());
        bodyLength = encoded.length;
        valuesAt = bodyLength - 8 * samples;
        buffer = Arrays.copyOf(encoded, bodyLength + MAX_TAIL);
        doubles = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The id of the load's {@code n}th miner, counting over every connection from 0. */
    static String deviceId(int n) {
        return String.format(Locale.ROOT, "miner-%06d", n);
    }

    String agent() {
        return agent;
    }

    long bootId() {
        return bootId;
    }

    /** The Birth (seq 1, session 1); the first Data is seq 2. */
    byte[] birth() {
        return birth;
    }

    int samplesPerMessage() {
        return samples;
    }

    /** The largest Data {@link #next} can return. */
    int maxDataBytes() {
        return buffer.length;
    }

    /**
     * Data number {@code seq}, stamped {@code timestampMs}, every value moved by up to ±0.1 % of its
     * range; valid until the next call.
     */
    byte[] next(long seq, long timestampMs, int[] length) {
        for (int i = 0; i < samples; i++) {
            double step = (max[i] - min[i]) * 0.001 * (random.nextDouble() * 2 - 1);
            double v = values[i] + step;
            if (v < min[i] || v > max[i]) {
                v = values[i] - step;
            }
            values[i] = v;
            doubles.putDouble(valuesAt + 8 * i, v);
        }
        int at = bodyLength;
        buffer[at++] = (byte) SEQ_TAG;
        at = writeVarint(seq, at);
        buffer[at++] = (byte) TIMESTAMP_TAG;
        at = writeVarint(timestampMs, at);
        length[0] = at;
        return buffer;
    }

    /** The value sample {@code i} had in the last {@link #next}. */
    double value(int i) {
        return values[i];
    }

    private int writeVarint(long value, int at) {
        long v = value;
        int i = at;
        while ((v & ~0x7FL) != 0) {
            buffer[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[i++] = (byte) v;
        return i;
    }
}
