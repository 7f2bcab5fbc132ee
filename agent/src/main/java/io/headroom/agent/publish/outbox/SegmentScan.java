package io.headroom.agent.publish.outbox;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one segment file holds, read at start-up: its well-formed records up to the first bad one,
 * and how it ends. A bad record in the last segment that is its last bytes (an incomplete frame, a
 * final frame failing its checksum, zeros to the end) is a torn tail: the write a kill or a power
 * loss interrupted, cut off. Anything else bad is corruption: the segment is quarantined and the
 * records before the damage are salvaged.
 */
final class SegmentScan {

    enum End {
        /** Every byte read as records. */
        CLEAN,
        /** The last write was interrupted; cut at {@link #validEnd}. */
        TORN_TAIL,
        /** Damaged before its end, or not a segment at all: quarantine. */
        CORRUPT
    }

    /** One record: where its frame starts, how long the frame is, and its body. */
    record Found(long offset, int length, byte[] body) {}

    final List<Found> records = new ArrayList<>();
    End end = End.CLEAN;
    long validEnd;
    String problem = "";

    private SegmentScan() {}

    /**
     * @param bytes the whole file
     * @param last true for the newest segment, the only one a torn write can end
     */
    static SegmentScan of(byte[] bytes, boolean last) {
        SegmentScan scan = new SegmentScan();
        if (bytes.length < RecordCodec.MAGIC.length
                || !Arrays.equals(bytes, 0, RecordCodec.MAGIC.length, RecordCodec.MAGIC, 0, RecordCodec.MAGIC.length)) {
            scan.end = End.CORRUPT;
            scan.problem = allZero(bytes, 0) ? "zero-filled (no segment header)" : "no segment header";
            return scan;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int at = RecordCodec.MAGIC.length;
        while (at < bytes.length) {
            String bad = null;
            int length = 0;
            boolean finalFrame = false;
            if (bytes.length - at < RecordCodec.FRAME) {
                bad = "an incomplete frame header";
                finalFrame = true;
            } else {
                length = in.getInt(at);
                int crc = in.getInt(at + 4);
                if (length <= 0 || length > RecordCodec.MAX_BODY) {
                    bad = "an impossible record length " + length;
                } else if ((long) at + RecordCodec.FRAME + length > bytes.length) {
                    bad = "a record cut short";
                    finalFrame = true;
                } else {
                    byte[] body = Arrays.copyOfRange(bytes, at + RecordCodec.FRAME, at + RecordCodec.FRAME + length);
                    finalFrame = at + RecordCodec.FRAME + length == bytes.length;
                    if (RecordCodec.crc(body, 0, body.length) != crc) {
                        bad = "a checksum mismatch";
                    } else if (!RecordCodec.wellFormed(body)) {
                        bad = "a malformed record";
                    } else {
                        scan.records.add(new Found(at, RecordCodec.FRAME + length, body));
                        at += RecordCodec.FRAME + length;
                        continue;
                    }
                }
            }
            scan.validEnd = at;
            boolean torn = last && (finalFrame || allZero(bytes, at));
            scan.end = torn ? End.TORN_TAIL : End.CORRUPT;
            scan.problem = bad + " at byte " + at;
            return scan;
        }
        scan.validEnd = at;
        return scan;
    }

    private static boolean allZero(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
