package io.headroom.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Data} decoded into primitive columns that are reused from one message to the next: what
 * the controller's ingest reads, a few hundred samples per message, without building the generated
 * message (whose packed fields grow a list per column per message and are then read back through
 * it, about a third of ingest's CPU: D63). It reads with protobuf's own {@link CodedInputStream},
 * by the field numbers of the generated class, accepts what the generated parser accepts (packed
 * or not, fields in any order, a repeated scalar's last value, unknown fields skipped) and checks
 * the same {@link PayloadRules}; {@code DataFrameTest} holds it to the generated parser.
 *
 * <p>Not thread-safe: one per reader (the controller keeps one per agent session, used under its
 * lock). A failed {@link #decode} leaves the frame empty.
 */
public final class DataFrame {
    private static final String TYPE = "Data";

    private long bootId;
    private long seq;
    private long timestampMs;
    private boolean historical;

    private final IntColumn alias = new IntColumn();
    private double[] value = new double[64];
    private int values;
    private final IntColumn offsetMs = new IntColumn();
    private final IntColumn quality = new IntColumn();
    private final List<DeviceStatus> statuses = new ArrayList<>();

    /**
     * Decodes the remaining bytes of {@code buffer} into this frame and checks the protocol's rules,
     * as {@link WireCodec#decode(ByteBuffer, Class)} does for a {@code Data}; the buffer's position is
     * not moved.
     *
     * @throws MalformedPayloadException with the reason and words {@code WireCodec} would give
     */
    public void decode(ByteBuffer buffer) throws MalformedPayloadException {
        clear();
        if (!buffer.hasRemaining()) {
            throw new MalformedPayloadException(MalformedPayloadException.Reason.EMPTY, TYPE, "empty payload");
        }
        try {
            read(CodedInputStream.newInstance(buffer.duplicate()));
        } catch (InvalidProtocolBufferException e) {
            clear();
            throw new MalformedPayloadException(
                    MalformedPayloadException.Reason.UNPARSEABLE, TYPE, String.valueOf(e.getMessage()), e);
        } catch (java.io.IOException | RuntimeException e) {
            // As WireCodec: nothing but MalformedPayloadException leaves a decoder facing hostile bytes.
            clear();
            throw new MalformedPayloadException(MalformedPayloadException.Reason.UNPARSEABLE, TYPE, e.toString(), e);
        }
        String problem = PayloadRules.checkData(
                bootId,
                seq,
                alias.size,
                values,
                offsetMs.size,
                quality.size,
                quality::get,
                statuses.size(),
                statuses::get);
        if (problem != null) {
            clear();
            throw new MalformedPayloadException(MalformedPayloadException.Reason.INVALID, TYPE, problem);
        }
    }

    private void read(CodedInputStream input) throws java.io.IOException {
        while (true) {
            int tag = input.readTag();
            if (tag == 0) {
                return;
            }
            int wireType = WireFormat.getTagWireType(tag);
            boolean packed = wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            boolean varint = wireType == WireFormat.WIRETYPE_VARINT;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Data.BOOT_ID_FIELD_NUMBER:
                    if (varint) {
                        bootId = input.readUInt64();
                        continue;
                    }
                    break;
                case Data.SEQ_FIELD_NUMBER:
                    if (varint) {
                        seq = input.readUInt64();
                        continue;
                    }
                    break;
                case Data.TIMESTAMP_MS_FIELD_NUMBER:
                    if (varint) {
                        timestampMs = input.readInt64();
                        continue;
                    }
                    break;
                case Data.HISTORICAL_FIELD_NUMBER:
                    if (varint) {
                        historical = input.readBool();
                        continue;
                    }
                    break;
                case Data.ALIAS_FIELD_NUMBER:
                    if (readInts(input, wireType, packed, alias, false)) {
                        continue;
                    }
                    break;
                case Data.VALUE_FIELD_NUMBER:
                    if (readValues(input, wireType, packed)) {
                        continue;
                    }
                    break;
                case Data.OFFSET_MS_FIELD_NUMBER:
                    if (readInts(input, wireType, packed, offsetMs, true)) {
                        continue;
                    }
                    break;
                case Data.QUALITY_FIELD_NUMBER:
                    if (readInts(input, wireType, packed, quality, false)) {
                        continue;
                    }
                    break;
                case Data.STATUS_FIELD_NUMBER:
                    if (packed) {
                        statuses.add(
                                input.readMessage(DeviceStatus.parser(), ExtensionRegistryLite.getEmptyRegistry()));
                        continue;
                    }
                    break;
                default:
                    break;
            }
            // An unknown field, or a known one with another wire type: skipped, as the generated
            // parser does. An end-group tag with no group open ends it, refused in that parser's words.
            if (!input.skipField(tag)) {
                input.checkLastTagWas(0);
                return;
            }
        }
    }

    /**
     * A column of varints (uint32 aliases, enum qualities) or zigzag varints (sint32 offsets), packed or
     * not: what {@code readUInt32}, {@code readEnum} and {@code readSInt32} read, without three copies.
     */
    private static boolean readInts(
            CodedInputStream input, int wireType, boolean packed, IntColumn column, boolean zigzag)
            throws java.io.IOException {
        if (packed) {
            int limit = input.pushLimit(input.readRawVarint32());
            while (input.getBytesUntilLimit() > 0) {
                column.add(readInt(input, zigzag));
            }
            input.popLimit(limit);
            return true;
        }
        if (wireType != WireFormat.WIRETYPE_VARINT) {
            return false;
        }
        column.add(readInt(input, zigzag));
        return true;
    }

    private static int readInt(CodedInputStream input, boolean zigzag) throws java.io.IOException {
        int raw = input.readRawVarint32();
        return zigzag ? CodedInputStream.decodeZigZag32(raw) : raw;
    }

    private boolean readValues(CodedInputStream input, int wireType, boolean packed) throws java.io.IOException {
        if (packed) {
            int length = input.readRawVarint32();
            int limit = input.pushLimit(length);
            // The length says how many doubles follow; a hostile length is bounded by the payload,
            // which pushLimit has checked.
            ensureValues(values + length / Double.BYTES);
            while (input.getBytesUntilLimit() > 0) {
                addValue(input.readDouble());
            }
            input.popLimit(limit);
            return true;
        }
        if (wireType != WireFormat.WIRETYPE_FIXED64) {
            return false;
        }
        addValue(input.readDouble());
        return true;
    }

    private void ensureValues(int capacity) {
        if (capacity > value.length) {
            value = Arrays.copyOf(value, Math.max(capacity, value.length * 2));
        }
    }

    private void addValue(double v) {
        if (values == value.length) {
            value = Arrays.copyOf(value, values * 2);
        }
        value[values++] = v;
    }

    private void clear() {
        bootId = 0;
        seq = 0;
        timestampMs = 0;
        historical = false;
        alias.size = 0;
        values = 0;
        offsetMs.size = 0;
        quality.size = 0;
        statuses.clear();
    }

    public long bootId() {
        return bootId;
    }

    public long seq() {
        return seq;
    }

    /** Base time of the batch, agent wall clock, Unix ms. */
    public long timestampMs() {
        return timestampMs;
    }

    /** Replayed from the agent's store after an outage. */
    public boolean historical() {
        return historical;
    }

    /** Samples in the frame: aliases, values and (where present) offsets and qualities alike. */
    public int sampleCount() {
        return alias.size;
    }

    public int alias(int i) {
        return alias.get(i);
    }

    public double value(int i) {
        return value[i];
    }

    /** True when each sample has its own offset from {@link #timestampMs()}. */
    public boolean hasOffsets() {
        return offsetMs.size != 0;
    }

    public int offsetMs(int i) {
        return offsetMs.get(i);
    }

    /** True when each sample has its own quality; otherwise every sample is {@code QUALITY_GOOD}. */
    public boolean hasQualities() {
        return quality.size != 0;
    }

    /** The {@code Quality} code of sample {@code i}: 0 good, 1 uncertain, 2 bad (checked on decode). */
    public int quality(int i) {
        return quality.get(i);
    }

    /** The device statuses the message carried, valid until the next {@link #decode}. */
    public List<DeviceStatus> statuses() {
        return statuses;
    }

    /** One int column, grown as needed and kept for the next message. */
    private static final class IntColumn {
        private int[] values = new int[64];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int get(int i) {
            return values[i];
        }
    }
}
