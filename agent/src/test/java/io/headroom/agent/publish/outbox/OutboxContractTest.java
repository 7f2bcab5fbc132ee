package io.headroom.agent.publish.outbox;

import static io.headroom.agent.publish.outbox.OutboxFixtures.data;
import static io.headroom.agent.publish.outbox.OutboxFixtures.result;
import static io.headroom.agent.publish.outbox.OutboxFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.protocol.wire.Birth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every outbox promises, in memory and on disk alike. */
abstract class OutboxContractTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private Outbox open;

    /** An outbox with these bounds (maxAgeMillis 0: none). */
    abstract Outbox create(int maxRecords, long maxBytes, long maxAgeMillis) throws Exception;

    Outbox outbox(int maxRecords, long maxBytes, long maxAgeMillis) throws Exception {
        open = create(maxRecords, maxBytes, maxAgeMillis);
        return open;
    }

    @AfterEach
    void closeOutbox() {
        if (open != null) {
            open.close();
        }
    }

    private static List<Long> seqs(Outbox outbox) {
        return outbox.after(0, Integer.MAX_VALUE).stream()
                .map(Outbox.Entry::seq)
                .toList();
    }

    @Test
    void ackThrough_forgetsThatBootsRecordsUpToAndIncludingSeq_only() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, 0);
        for (long seq = 1; seq <= 5; seq++) {
            outbox.append(data(7, seq));
        }
        outbox.append(data(8, 1));

        outbox.ackThrough(7, 3);
        outbox.ackThrough(9, 100); // A boot it holds nothing of: nothing happens.

        assertThat(outbox.after(0, 100))
                .extracting(Outbox.Entry::bootId, Outbox.Entry::seq)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(7L, 4L),
                        org.assertj.core.groups.Tuple.tuple(7L, 5L),
                        org.assertj.core.groups.Tuple.tuple(8L, 1L));
        assertThat(outbox.lowestSeq(7)).hasValue(4);
        assertThat(outbox.lowestSeq(8)).hasValue(1);
        assertThat(outbox.lowestSeq(9)).isEmpty();
        assertThat(outbox.size()).isEqualTo(3);
        assertThat(outbox.oldestAppendedAtMillis()).hasValue(clock.millis());
    }

    @Test
    void after_pagesInAppendOrder_andGivesTheMessageBack() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, 0);
        long first = outbox.append(data(7, 1));
        long second = outbox.append(result(7, 2));
        long third = outbox.append(data(7, 3));

        assertThat(outbox.after(0, 2)).extracting(Outbox.Entry::ordinal).containsExactly(first, second);
        List<Outbox.Entry> rest = outbox.after(second, 10);
        assertThat(rest).extracting(Outbox.Entry::ordinal).containsExactly(third);
        assertThat(rest.get(0).message()).isEqualTo(data(7, 3));
        assertThat(outbox.after(0, 10).get(1).priority()).isEqualTo(Priority.HIGH);
        assertThat(outbox.lastOrdinal()).isEqualTo(third);
    }

    @Test
    void recordBound_dropsTheOldestTelemetryFirst_keepsResultsAndStatuses_countsByReason() throws Exception {
        Outbox outbox = outbox(3, 1 << 20, 0);
        outbox.append(result(1, 1));
        outbox.append(data(1, 2));
        outbox.append(status(1, 3));

        outbox.append(data(1, 4));
        outbox.append(data(1, 5));

        assertThat(seqs(outbox)).containsExactly(1L, 3L, 5L);
        assertThat(outbox.dropped(DropReason.MAX_RECORDS)).isEqualTo(2);
        assertThat(outbox.dropped(DropReason.MAX_BYTES)).isZero();
    }

    @Test
    void onlyHighPriorityLeft_theOldestOfThemGoes() throws Exception {
        Outbox outbox = outbox(2, 1 << 20, 0);
        outbox.append(result(1, 1));
        outbox.append(result(1, 2));

        outbox.append(result(1, 3));

        assertThat(seqs(outbox)).containsExactly(2L, 3L);
        assertThat(outbox.dropped(DropReason.MAX_RECORDS)).isEqualTo(1);
    }

    @Test
    void byteBound_keepsTheBytesUnderIt_dropsOldestTelemetry_exactCount() throws Exception {
        int recordBytes = BoundedOutbox.recordBytes(data(1, 1, 20).getSerializedSize());
        Outbox outbox = outbox(10_000, 10L * recordBytes, 0);
        for (long seq = 1; seq <= 25; seq++) {
            outbox.append(data(1, seq, 20));
            assertThat(outbox.bytes()).isLessThanOrEqualTo(10L * recordBytes);
        }

        assertThat(outbox.size()).isEqualTo(10);
        assertThat(seqs(outbox)).first().isEqualTo(16L);
        assertThat(outbox.dropped(DropReason.MAX_BYTES)).isEqualTo(15);
    }

    @Test
    void ageBound_dropsWhatIsOlder_whateverItsPriority() throws Exception {
        Outbox outbox = outbox(100, 1 << 20, Duration.ofMinutes(10).toMillis());
        outbox.append(result(1, 1));
        clock.advance(Duration.ofMinutes(6));
        outbox.append(data(1, 2));
        clock.advance(Duration.ofMinutes(5));

        outbox.tick();

        assertThat(seqs(outbox)).containsExactly(2L);
        assertThat(outbox.dropped(DropReason.MAX_AGE)).isEqualTo(1);
    }

    @Test
    void recordLargerThanTheWholeBound_isDroppedAndCounted_theRestStays() throws Exception {
        Outbox outbox = outbox(100, 64 * 1024, 0);
        outbox.append(data(1, 1));

        assertThat(outbox.append(data(1, 2, 10_000))).isEqualTo(-1);

        assertThat(seqs(outbox)).containsExactly(1L);
        assertThat(outbox.dropped(DropReason.MAX_BYTES)).isEqualTo(1);
    }

    @Test
    void birth_isRefused_itNeverEntersTheOutbox() throws Exception {
        Outbox outbox = outbox(10, 1 << 20, 0);

        assertThatThrownBy(() -> outbox.append(Birth.newBuilder().setSeq(1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Data and Result only");
    }

    @Test
    void empty_hasNothing() throws Exception {
        Outbox outbox = outbox(10, 1 << 20, 0);

        assertThat(outbox.lowestSeq(1)).isEmpty();
        assertThat(outbox.oldestAppendedAtMillis()).isEmpty();
        assertThat(outbox.after(0, 10)).isEmpty();
        assertThat(outbox.size()).isZero();
        assertThat(outbox.bytes()).isZero();
        assertThat(outbox.lastOrdinal()).isZero();
    }
}
