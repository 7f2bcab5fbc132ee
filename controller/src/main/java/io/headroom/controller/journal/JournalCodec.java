package io.headroom.controller.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The journal file's bytes (big-endian throughout).
 *
 * <pre>
 * file   = header record*
 * header = "HRJRNL01" | next_seq u64 | crc32c u32 (of the 16 bytes before it)
 * record = length u32 | crc32c u32 (of the 4 length bytes and the body) | body
 * body   = seq u64 | at_ms i64 | type_length u8 | type (US-ASCII) | JSON (UTF-8)
 * </pre>
 *
 * <p>{@code next_seq} is the least sequence number a record appended to this file may get: a
 * compacted file that keeps no record still continues the sequence. A torn write fails the length or
 * the checksum; a zero-filled block fails the length (0 is never valid); a flipped bit fails the
 * checksum. The checksum covers the length too, so a flipped length bit cannot pair a good checksum
 * with the wrong bytes.
 */
final class JournalCodec {

    static final byte[] MAGIC = "HRJRNL01".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = MAGIC.length + 8 + 4;
    static final int FRAME = 8;
    /** seq, at_ms, type_length and a one-letter type: the smallest body without its JSON. */
    static final int MIN_BODY = 8 + 8 + 1 + 1 + 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalCodec() {}

    static ByteBuffer header(long nextSeq) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.put(MAGIC).putLong(nextSeq);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, MAGIC.length + 8);
        header.putInt((int) crc.getValue()).flip();
        return header;
    }

    /** The header's {@code next_seq}, or -1 when {@code file} does not start with a valid header. */
    static long readHeader(ByteBuffer file) {
        if (file.limit() < HEADER) {
            return -1;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (file.get(i) != MAGIC[i]) {
                return -1;
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(file.duplicate().position(0).limit(MAGIC.length + 8));
        if ((int) crc.getValue() != file.getInt(MAGIC.length + 8)) {
            return -1;
        }
        long nextSeq = file.getLong(MAGIC.length);
        return nextSeq > 0 ? nextSeq : -1;
    }

    /** The JSON bytes of {@code body}, as they go into a record. */
    static byte[] json(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // A JsonNode tree always serialises; a custom POJONode that does not is the caller's bug.
            throw new IllegalArgumentException("body: cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The size of the framed record of {@code type} with {@code json}. */
    static long frameSize(String type, byte[] json) {
        return (long) FRAME + 8 + 8 + 1 + type.length() + json.length;
    }

    /** Writes the framed record into {@code out} at its position. */
    static void frame(ByteBuffer out, long seq, long atMillis, String type, byte[] json) {
        int start = out.position();
        int length = 8 + 8 + 1 + type.length() + json.length;
        out.putInt(length).putInt(0);
        out.putLong(seq).putLong(atMillis).put((byte) type.length());
        out.put(type.getBytes(StandardCharsets.US_ASCII)).put(json);
        out.putInt(start + 4, crc(out, start, length));
    }

    /** The checksum of the frame at {@code start} whose body is {@code length} bytes long. */
    static int crc(ByteBuffer bytes, int start, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = bytes.duplicate();
        view.limit(start + 4).position(start);
        crc.update(view);
        view.limit(start + FRAME + length).position(start + FRAME);
        crc.update(view);
        return (int) crc.getValue();
    }

    /**
     * The record whose body is the {@code length} bytes at {@code bodyStart}, or null when they do
     * not read as one (a bad type, a sequence number below 1, JSON that does not parse).
     */
    static @Nullable JournalRecord body(ByteBuffer bytes, int bodyStart, int length) {
        if (length < MIN_BODY) {
            return null;
        }
        long seq = bytes.getLong(bodyStart);
        long atMillis = bytes.getLong(bodyStart + 8);
        int typeLength = bytes.get(bodyStart + 16) & 0xFF;
        if (seq <= 0 || typeLength == 0 || typeLength > JournalEntry.MAX_TYPE_LENGTH || 17 + typeLength > length) {
            return null;
        }
        byte[] rest = new byte[length - 17];
        bytes.duplicate().position(bodyStart + 17).get(rest);
        try {
            JsonNode body = JSON.readTree(rest, typeLength, rest.length - typeLength);
            if (body == null || body.isMissingNode()) {
                return null;
            }
            return new JournalRecord(seq, new String(rest, 0, typeLength, StandardCharsets.US_ASCII), atMillis, body);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** True when the type byte and type of a body at {@code bodyStart} could be ours: a cheap pre-check. */
    static boolean plausibleType(ByteBuffer bytes, int bodyStart, int length) {
        if (length < MIN_BODY) {
            return false;
        }
        int typeLength = bytes.get(bodyStart + 16) & 0xFF;
        if (typeLength == 0 || typeLength > JournalEntry.MAX_TYPE_LENGTH || 17 + typeLength > length) {
            return false;
        }
        byte first = bytes.get(bodyStart + 17);
        return first >= 'a' && first <= 'z';
    }
}
