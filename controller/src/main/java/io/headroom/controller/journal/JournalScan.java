package io.headroom.controller.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one journal file holds, read at start-up: its records up to the first bad byte, and how it
 * ends.
 *
 * <p>A bad record is a <em>torn tail</em> (the write a kill or a power loss interrupted) when it is
 * the file's last bytes (an incomplete frame, a frame running past the end, a last frame failing its
 * checksum, or zeros to the end) <em>and</em> no well-formed record follows it anywhere. Anything else
 * is <em>damage</em>: a bad header, a record in the middle failing its checksum, a sequence number out
 * of order. To tell the two apart, and to keep sequence numbers growing past what damage hides, the
 * bytes after a bad record are searched for well-formed records ({@link #laterRecords},
 * {@link #maxSeq}); they are counted, never replayed.
 */
final class JournalScan {

    enum End {
        /** Every byte read as records. */
        CLEAN,
        /** The last write was interrupted; cut the file at {@link #validEnd}. */
        TORN_TAIL,
        /** Damaged before its end, or not a journal file at all. */
        DAMAGED
    }

    final List<JournalRecord> records = new ArrayList<>();
    End end = End.CLEAN;
    /** The header's {@code next_seq}; -1 when the header is bad. */
    long headerNextSeq = -1;
    /** Where the good records end: the file's size when clean. */
    int validEnd;
    /** What was wrong and where, for the log; empty when clean. */
    String problem = "";
    /** Well-formed records found after the first bad byte. */
    int laterRecords;
    /** The highest sequence number seen anywhere in the file, good records and later ones; 0 if none. */
    long maxSeq;

    private JournalScan() {}

    /**
     * @param file the whole file
     * @param searchMaxBody the longest record body the search after a bad record considers
     */
    static JournalScan of(ByteBuffer file, long searchMaxBody) {
        JournalScan scan = new JournalScan();
        int limit = file.limit();
        scan.headerNextSeq = JournalCodec.readHeader(file);
        if (scan.headerNextSeq < 0) {
            scan.end = End.DAMAGED;
            scan.problem = limit == 0
                    ? "an empty file (no journal header)"
                    : allZero(file, 0)
                            ? "a zero-filled file (no journal header)"
                            : "no journal header (not a journal?)";
            scan.search(file, 0, searchMaxBody);
            return scan;
        }
        int at = JournalCodec.HEADER;
        long previous = 0;
        while (at < limit) {
            String bad;
            boolean lastBytes = false;
            if (limit - at < JournalCodec.FRAME) {
                bad = "an incomplete frame header";
                lastBytes = true;
            } else {
                int length = file.getInt(at);
                if (length < JournalCodec.MIN_BODY || length > JournalSettings.MAX_RECORD_LIMIT - JournalCodec.FRAME) {
                    bad = "an impossible record length " + length;
                } else if ((long) at + JournalCodec.FRAME + length > limit) {
                    bad = "a record cut short (" + length + " bytes of body announced, "
                            + (limit - at - JournalCodec.FRAME) + " there)";
                    lastBytes = true;
                } else {
                    lastBytes = at + JournalCodec.FRAME + length == limit;
                    JournalRecord record = checked(file, at, length);
                    if (record == null) {
                        bad = JournalCodec.crc(file, at, length) != file.getInt(at + 4)
                                ? "a checksum mismatch"
                                : "a malformed record";
                    } else if (record.seq() <= previous) {
                        bad = "sequence number " + record.seq() + " after " + previous;
                    } else {
                        scan.records.add(record);
                        previous = record.seq();
                        at += JournalCodec.FRAME + length;
                        continue;
                    }
                }
            }
            scan.validEnd = at;
            scan.maxSeq = previous;
            scan.problem = bad + " at byte " + at;
            scan.search(file, at + 1, searchMaxBody);
            boolean torn = scan.laterRecords == 0 && (lastBytes || allZero(file, at));
            scan.end = torn ? End.TORN_TAIL : End.DAMAGED;
            return scan;
        }
        scan.validEnd = at;
        scan.maxSeq = previous;
        return scan;
    }

    /** The record framed at {@code at} if its checksum holds and its body reads; null otherwise. */
    private static @Nullable JournalRecord checked(ByteBuffer file, int at, int length) {
        if (JournalCodec.crc(file, at, length) != file.getInt(at + 4)) {
            return null;
        }
        return JournalCodec.body(file, at + JournalCodec.FRAME, length);
    }

    /**
     * Looks for well-formed records from {@code from} on, at every byte offset. The length and type
     * bytes are checked before the checksum, so random bytes cost little more than one pass.
     */
    private void search(ByteBuffer file, int from, long maxBody) {
        int limit = file.limit();
        int at = from;
        while (at <= limit - JournalCodec.FRAME - JournalCodec.MIN_BODY) {
            int length = file.getInt(at);
            if (length >= JournalCodec.MIN_BODY
                    && length <= maxBody
                    && (long) at + JournalCodec.FRAME + length <= limit
                    && JournalCodec.plausibleType(file, at + JournalCodec.FRAME, length)) {
                JournalRecord record = checked(file, at, length);
                if (record != null) {
                    laterRecords++;
                    maxSeq = Math.max(maxSeq, record.seq());
                    at += JournalCodec.FRAME + length;
                    continue;
                }
            }
            at++;
        }
    }

    private static boolean allZero(ByteBuffer file, int from) {
        for (int i = from; i < file.limit(); i++) {
            if (file.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
