package io.headroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DataFrame} held to the generated parser behind {@link WireCodec}: on every input, both take
 * it with the same fields or both refuse it for the same reason in the same words.
 */
class DataFrameTest {
    private final Random random = new Random(20261203);
    private final DataFrame frame = new DataFrame();

    @Test
    void decode_randomMessages_readWhatTheGeneratedParserReads() throws Exception {
        int accepted = 0;
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = randomData().toByteArray();
            accepted += assertSameAsGenerated(bytes, "round " + round) ? 1 : 0;
        }
        // Both paths are compared often: the fields of the accepted, the words of the refused.
        assertThat(accepted).isBetween(300, 1_700);
    }

    @Test
    void decode_unpackedColumnsAndFieldsInAnyOrder_asProto3RequiresParsersToAccept() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeUInt32(Data.ALIAS_FIELD_NUMBER, 7); // unpacked, before the header fields
        out.writeDouble(Data.VALUE_FIELD_NUMBER, 3250.5);
        out.writeUInt64(Data.SEQ_FIELD_NUMBER, 9);
        out.writeUInt64(Data.BOOT_ID_FIELD_NUMBER, 4);
        out.writeInt64(Data.TIMESTAMP_MS_FIELD_NUMBER, 1_700_000_000_000L);
        out.writeSInt32(Data.OFFSET_MS_FIELD_NUMBER, -250);
        out.writeEnum(Data.QUALITY_FIELD_NUMBER, 1);
        out.writeTag(Data.ALIAS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED); // then packed
        out.writeUInt32NoTag(2);
        out.writeUInt32NoTag(8);
        out.writeUInt32NoTag(9);
        out.writeDouble(Data.VALUE_FIELD_NUMBER, 65.5);
        out.writeDouble(Data.VALUE_FIELD_NUMBER, 66.5);
        out.writeSInt32(Data.OFFSET_MS_FIELD_NUMBER, 0);
        out.writeSInt32(Data.OFFSET_MS_FIELD_NUMBER, 10);
        out.writeEnum(Data.QUALITY_FIELD_NUMBER, 0);
        out.writeEnum(Data.QUALITY_FIELD_NUMBER, 2);
        out.writeUInt64(Data.SEQ_FIELD_NUMBER, 10); // a scalar given twice: the last one counts
        out.writeString(99, "a field of a later protocol version");
        out.writeFixed32(Data.BOOT_ID_FIELD_NUMBER, 5); // a known number with another wire type: unknown
        out.flush();

        assertSameAsGenerated(bytes.toByteArray(), "unpacked");
        frame.decode(ByteBuffer.wrap(bytes.toByteArray()));
        assertThat(frame.seq()).isEqualTo(10);
        assertThat(frame.bootId()).isEqualTo(4);
        assertThat(frame.sampleCount()).isEqualTo(3);
        assertThat(new int[] {frame.alias(0), frame.alias(1), frame.alias(2)}).containsExactly(7, 8, 9);
        assertThat(new int[] {frame.offsetMs(0), frame.offsetMs(1), frame.offsetMs(2)})
                .containsExactly(-250, 0, 10);
        assertThat(new int[] {frame.quality(0), frame.quality(1), frame.quality(2)})
                .containsExactly(1, 0, 2);
    }

    @Test
    void decode_garbageAndTruncations_areRefusedAsTheGeneratedParserRefusesThem() throws Exception {
        byte[] valid = randomData().toBuilder().clearStatus().build().toByteArray();
        for (int cut = 0; cut < valid.length; cut++) {
            assertSameAsGenerated(Arrays.copyOf(valid, cut), "cut at " + cut);
        }
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            assertSameAsGenerated(bytes, "flipped, round " + round);
        }
        for (int round = 0; round < 500; round++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            assertSameAsGenerated(noise, "noise, round " + round);
        }
        // An end-group tag with no group open, and a group that is never closed.
        assertSameAsGenerated(new byte[] {0x08, 0x01, 0x0C}, "end group");
        assertSameAsGenerated(new byte[] {0x08, 0x01, 0x0B, 0x08, 0x01}, "open group");
    }

    @Test
    void decode_aFrameReusedForASmallerMessageOrAFailedOne_keepsNothingOfTheLastOne() throws Exception {
        Data big = Data.newBuilder()
                .setBootId(1)
                .setSeq(1)
                .setTimestampMs(1)
                .setHistorical(true)
                .addAllAlias(
                        java.util.stream.IntStream.rangeClosed(1, 500).boxed().toList())
                .addAllValue(java.util.Collections.nCopies(500, 1.0))
                .addAllOffsetMs(java.util.Collections.nCopies(500, 5))
                .addAllQuality(java.util.Collections.nCopies(500, io.headroom.protocol.wire.Quality.QUALITY_BAD))
                .addStatus(status("miner-1"))
                .build();
        frame.decode(ByteBuffer.wrap(big.toByteArray()));
        assertThat(frame.sampleCount()).isEqualTo(500);

        frame.decode(ByteBuffer.wrap(Data.newBuilder()
                .setBootId(2)
                .setSeq(3)
                .addAlias(4)
                .addValue(5)
                .build()
                .toByteArray()));
        assertThat(frame.sampleCount()).isEqualTo(1);
        assertThat(frame.historical()).isFalse();
        assertThat(frame.hasOffsets()).isFalse();
        assertThat(frame.hasQualities()).isFalse();
        assertThat(frame.statuses()).isEmpty();
        assertThat(frame.timestampMs()).isZero();

        assertThatThrownBy(() -> frame.decode(
                        ByteBuffer.wrap(big.toBuilder().addValue(2).build().toByteArray())))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessage("Data: value: 501 values for 500 aliases");
        assertThat(frame.sampleCount()).isZero();
        assertThat(frame.seq()).isZero();
    }

    @Test
    void decode_readsHeapReadOnlyAndDirectBuffers_withoutMovingThem() throws Exception {
        byte[] bytes = WireCodecTest.data().toBuilder()
                .addOffsetMs(-5)
                .addOffsetMs(5)
                .addStatus(status("miner-1"))
                .build()
                .toByteArray();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 3);
        direct.put(new byte[] {9, 9, 9}).put(bytes).flip().position(3);
        for (ByteBuffer buffer :
                new ByteBuffer[] {ByteBuffer.wrap(bytes), ByteBuffer.wrap(bytes).asReadOnlyBuffer(), direct}) {
            int position = buffer.position();
            frame.decode(buffer);
            assertThat(buffer.position()).isEqualTo(position);
            assertSameFields(WireCodec.decode(bytes, Data.class), "buffer " + buffer);
        }
        assertThatThrownBy(() -> frame.decode(ByteBuffer.allocate(0)))
                .isInstanceOf(MalformedPayloadException.class)
                .extracting(e -> ((MalformedPayloadException) e).reason())
                .isEqualTo(MalformedPayloadException.Reason.EMPTY);
    }

    /** True when both took it. */
    private boolean assertSameAsGenerated(byte[] bytes, String what) {
        Data expected = null;
        MalformedPayloadException refused = null;
        try {
            expected = WireCodec.decode(bytes, Data.class);
        } catch (MalformedPayloadException e) {
            refused = e;
        }
        try {
            frame.decode(ByteBuffer.wrap(bytes));
            assertThat(refused)
                    .as("%s: the generated parser refused it, the frame took it", what)
                    .isNull();
            assertSameFields(expected, what);
            return true;
        } catch (MalformedPayloadException e) {
            assertThat(refused)
                    .as("%s: the frame refused it (%s), the generated parser took it", what, e.getMessage())
                    .isNotNull();
            assertThat(e.reason()).as(what).isEqualTo(refused.reason());
            assertThat(e.getMessage()).as(what).isEqualTo(refused.getMessage());
            assertThat(frame.sampleCount()).as(what).isZero();
            return false;
        }
    }

    private void assertSameFields(Data expected, String what) {
        assertThat(frame.bootId()).as(what).isEqualTo(expected.getBootId());
        assertThat(frame.seq()).as(what).isEqualTo(expected.getSeq());
        assertThat(frame.timestampMs()).as(what).isEqualTo(expected.getTimestampMs());
        assertThat(frame.historical()).as(what).isEqualTo(expected.getHistorical());
        assertThat(frame.sampleCount()).as(what).isEqualTo(expected.getAliasCount());
        assertThat(frame.hasOffsets()).as(what).isEqualTo(expected.getOffsetMsCount() > 0);
        assertThat(frame.hasQualities()).as(what).isEqualTo(expected.getQualityCount() > 0);
        for (int i = 0; i < expected.getAliasCount(); i++) {
            assertThat(frame.alias(i)).as(what).isEqualTo(expected.getAlias(i));
            assertThat(Double.doubleToRawLongBits(frame.value(i)))
                    .as(what)
                    .isEqualTo(Double.doubleToRawLongBits(expected.getValue(i)));
            if (frame.hasOffsets()) {
                assertThat(frame.offsetMs(i)).as(what).isEqualTo(expected.getOffsetMs(i));
            }
            if (frame.hasQualities()) {
                assertThat(frame.quality(i)).as(what).isEqualTo(expected.getQualityValue(i));
            }
        }
        assertThat(frame.statuses()).as(what).isEqualTo(expected.getStatusList());
    }

    /** A Data as agents send them and as they could: any counts, uint32 aliases past 2^31, odd values. */
    private Data randomData() {
        Data.Builder data = Data.newBuilder()
                .setBootId(random.nextInt(4) == 0 ? 0 : random.nextLong())
                .setSeq(random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(1_000_000))
                .setTimestampMs(random.nextLong() >> random.nextInt(64))
                .setHistorical(random.nextBoolean());
        int n = random.nextInt(6) == 0 ? 0 : random.nextInt(600);
        double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            data.addAlias(random.nextInt(5) == 0 ? random.nextInt() : 1 + i);
            data.addValue(random.nextInt(50) == 0 ? odd[random.nextInt(odd.length)] : random.nextGaussian() * 1e3);
        }
        if (random.nextInt(10) == 0) {
            data.addValue(1); // one value too many: refused by the rules
        }
        if (random.nextBoolean()) {
            for (int i = 0; i < n + (random.nextInt(10) == 0 ? 1 : 0); i++) {
                data.addOffsetMs(random.nextInt(20_000) - 10_000);
            }
        }
        if (random.nextBoolean()) {
            for (int i = 0; i < n; i++) {
                data.addQualityValue(random.nextInt(40) == 0 ? 7 : random.nextInt(3));
            }
        }
        for (int s = random.nextInt(3); s > 0; s--) {
            data.addStatus(random.nextInt(10) == 0 ? DeviceStatus.getDefaultInstance() : status("miner-" + s));
        }
        if (random.nextInt(4) == 0) {
            data.setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(
                            50 + random.nextInt(50),
                            UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(ByteString.copyFromUtf8("later"))
                                    .addVarint(random.nextLong())
                                    .build())
                    .build());
        }
        return data.build();
    }

    private static DeviceStatus status(String device) {
        return DeviceStatus.newBuilder()
                .setDeviceId(device)
                .setHealth(DeviceHealth.DEVICE_HEALTH_DEGRADED)
                .setReason("timeout")
                .setMessage("stats: no reply within 2000 ms")
                .build();
    }
}
