package io.headroom.agent.publish.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.OutboxSettings;
import io.headroom.agent.config.OutboxSettings.Fsync;
import io.headroom.protocol.wire.Data;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 1 at the outbox, in simulated time: a 500-device rack keeps batching while the
 * controller is down for minutes. Each one-second batch carries what changed: 500 devices polled
 * every 10 s with 12 metrics each is 50 devices × 12 = 600 samples per batch. Within the budget
 * nothing is lost; past it the exact number of batches is dropped, the oldest, and counted; what
 * is kept replays in order (produced = received ∪ dropped, no gap outside the dropped range).
 * fsync is off here: it changes what a power loss takes, not what the bounds keep.
 */
class RackOutageTest {

    private static final long BOOT = 0x5EED;
    private static final int SAMPLES_PER_BATCH = 600;
    /** Seqs from 1000 encode in the same number of bytes, so every batch has the same size. */
    private static final long FIRST_SEQ = 1000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    /** A one-second batch of a 500-device rack, shaped like the publisher's. */
    private static Data batch(long seq) {
        Data.Builder data =
                Data.newBuilder().setBootId(BOOT).setSeq(seq).setTimestampMs(1_764_583_200_000L + seq * 1000);
        long device0 = (seq % 10) * 50;
        for (int d = 0; d < 50; d++) {
            for (int m = 0; m < 12; m++) {
                data.addAlias((int) (200 + (device0 + d) * 12 + m)); // two-byte varints, every batch
                data.addValue(3000 + ((seq * 7 + d * 13 + m) % 1000) / 10.0);
                data.addOffsetMs(-((d * 17 + m) % 1000));
            }
        }
        return data.build();
    }

    /** Appends one batch per simulated second for {@code seconds}; returns the seqs produced. */
    private List<Long> outage(Outbox outbox, int seconds) {
        List<Long> produced = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            long seq = FIRST_SEQ + s;
            outbox.append(batch(seq));
            produced.add(seq);
            clock.advance(Duration.ofSeconds(1));
            outbox.tick();
        }
        return produced;
    }

    private static List<Long> replay(Outbox outbox) {
        List<Long> received = new ArrayList<>();
        long cursor = 0;
        for (List<Outbox.Entry> page = outbox.after(cursor, 64); !page.isEmpty(); page = outbox.after(cursor, 64)) {
            for (Outbox.Entry entry : page) {
                received.add(entry.seq());
                assertThat(((Data) entry.message()).getAliasCount()).isEqualTo(SAMPLES_PER_BATCH);
                cursor = entry.ordinal();
            }
        }
        return received;
    }

    @Test
    void tenMinutesDown_withTheDefaultBudget_nothingIsLost_andAnHourFits() throws IOException {
        OutboxSettings defaults = OutboxSettings.defaults();
        int recordBytes = BoundedOutbox.recordBytes(batch(FIRST_SEQ).getSerializedSize());
        // The defaults are sized for an hour of this rack: check the arithmetic docs/outbox.md gives.
        assertThat(3600L * recordBytes).isLessThan(defaults.maxBytes().bytes());
        assertThat(defaults.maxAge()).isGreaterThanOrEqualTo(Duration.ofHours(1));
        assertThat((double) recordBytes / SAMPLES_PER_BATCH)
                .as("bytes per sample")
                .isLessThan(12.5);

        try (SegmentOutbox outbox = SegmentOutbox.open(
                dir, 100_000, defaults.maxBytes().bytes(), defaults.maxAge().toMillis(), Fsync.NEVER, 1000, clock)) {
            List<Long> produced = outage(outbox, 600);

            assertThat(replay(outbox)).containsExactlyElementsOf(produced);
            for (DropReason reason : DropReason.values()) {
                assertThat(outbox.dropped(reason)).as(reason.tag()).isZero();
            }
            assertThat(outbox.size()).isEqualTo(600);
        }
    }

    @Test
    void downPastTheByteBudget_exactlyTheOldestOverflowIsDropped_counted_theRestReplaysInOrder() throws IOException {
        int recordBytes = BoundedOutbox.recordBytes(batch(FIRST_SEQ).getSerializedSize());
        long budget = 4L << 20; // 4 MiB: about ten minutes of this rack
        int fits = (int) (budget / recordBytes);
        int seconds = 1200; // twenty minutes down

        try (SegmentOutbox outbox = SegmentOutbox.open(dir, 100_000, budget, 0, Fsync.NEVER, 1000, clock)) {
            List<Long> produced = outage(outbox, seconds);
            List<Long> received = replay(outbox);

            long dropped = outbox.dropped(DropReason.MAX_BYTES);
            assertThat(dropped).isEqualTo(seconds - fits);
            assertThat(received).containsExactlyElementsOf(produced.subList(seconds - fits, seconds));
            assertThat(received.size() + dropped).isEqualTo(produced.size());
            assertThat(outbox.bytes()).isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void downPastTheAgeBudget_whatIsOlderIsDropped_exactCount() throws IOException {
        try (SegmentOutbox outbox = SegmentOutbox.open(
                dir, 100_000, 64L << 20, Duration.ofMinutes(5).toMillis(), Fsync.NEVER, 1000, clock)) {
            List<Long> produced = outage(outbox, 900); // fifteen minutes, five kept
            List<Long> received = replay(outbox);

            // After the last batch (t = 899 s) the clock stands at 900 s: records appended at or after
            // t = 600 s are within five minutes.
            assertThat(received).containsExactlyElementsOf(produced.subList(600, 900));
            assertThat(outbox.dropped(DropReason.MAX_AGE)).isEqualTo(600);
        }
    }
}
