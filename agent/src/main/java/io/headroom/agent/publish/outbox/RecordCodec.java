package io.headroom.agent.publish.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The segment log's bytes. A segment starts with the 8-byte {@link #MAGIC}; then records, each
 * framed as {@code [u32 body length][u32 CRC32C of the body][body]} (big-endian). The first body
 * byte is the record type:
 *
 * <pre>
 * APPEND  1 | ordinal u64 | boot_id u64 | seq u64 | appended_at_ms i64 | priority u8 | kind u8 | payload
 * DROP    2 | ordinal u64
 * ACK     3 | boot_id u64 | seq u64
 * </pre>
 *
 * <p>The payload is the protobuf {@code Data} or {@code Result} as first made. A torn write fails
 * the length or the checksum; a zero-filled block fails the length (0 is never valid); a flipped
 * bit fails the checksum (CRC32C detects every 1-, 2- and 3-bit error in a record this size).
 */
final class RecordCodec {

    static final byte[] MAGIC = "HROUTBX1".getBytes(StandardCharsets.US_ASCII);
    static final int FRAME = 8;
    static final byte APPEND = 1;
    static final byte DROP = 2;
    static final byte ACK = 3;
    static final int APPEND_HEADER = 1 + 8 + 8 + 8 + 8 + 1 + 1;
    /** Larger bodies are taken as a corrupt length: no Data batch comes near it. */
    static final int MAX_BODY = 64 << 20;

    private RecordCodec() {}

    static int appendRecordSize(int payloadLength) {
        return FRAME + APPEND_HEADER + payloadLength;
    }

    static ByteBuffer append(
            long ordinal, long bootId, long seq, long appendedAt, Priority priority, byte kind, byte[] payload) {
        ByteBuffer body = ByteBuffer.allocate(APPEND_HEADER + payload.length);
        body.put(APPEND).putLong(ordinal).putLong(bootId).putLong(seq).putLong(appendedAt);
        body.put((byte) priority.ordinal()).put(kind).put(payload);
        return frame(body.array());
    }

    static ByteBuffer drop(long ordinal) {
        return frame(ByteBuffer.allocate(9).put(DROP).putLong(ordinal).array());
    }

    static ByteBuffer ack(long bootId, long seq) {
        return frame(
                ByteBuffer.allocate(17).put(ACK).putLong(bootId).putLong(seq).array());
    }

    static ByteBuffer frame(byte[] body) {
        ByteBuffer record = ByteBuffer.allocate(FRAME + body.length);
        record.putInt(body.length).putInt(crc(body, 0, body.length)).put(body).flip();
        return record;
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** True when {@code body} is a well-formed record body of a known type. */
    static boolean wellFormed(byte[] body) {
        if (body.length == 0) {
            return false;
        }
        return switch (body[0]) {
            case APPEND ->
                body.length >= APPEND_HEADER
                        && body[APPEND_HEADER - 2] >= 0
                        && body[APPEND_HEADER - 2] <= 1
                        && (body[APPEND_HEADER - 1] == BoundedOutbox.KIND_DATA
                                || body[APPEND_HEADER - 1] == BoundedOutbox.KIND_RESULT);
            case DROP -> body.length == 9;
            case ACK -> body.length == 17;
            default -> false;
        };
    }
}
