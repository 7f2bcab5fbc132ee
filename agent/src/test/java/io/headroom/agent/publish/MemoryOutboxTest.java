package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Result;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MemoryOutboxTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    private static Data data(long seq) {
        return Data.newBuilder().setBootId(1).setSeq(seq).build();
    }

    private static Result result(long seq) {
        return Result.newBuilder()
                .setBootId(1)
                .setSeq(seq)
                .setCommandId("c" + seq)
                .build();
    }

    @Test
    void ackThrough_forgetsEverythingUpToAndIncludingSeq() {
        MemoryOutbox outbox = new MemoryOutbox(10, clock);
        for (long seq = 1; seq <= 5; seq++) {
            outbox.append(seq, data(seq));
        }

        outbox.ackThrough(3);

        assertThat(outbox.pending()).extracting(Outbox.Entry::seq).containsExactly(4L, 5L);
        assertThat(outbox.lowestSeq()).hasValue(4);
        assertThat(outbox.oldestAppendedAtMillis()).hasValue(clock.millis());
    }

    @Test
    void full_dropsOldestDataFirst_keepsResults() {
        MemoryOutbox outbox = new MemoryOutbox(3, clock);
        outbox.append(1, result(1));
        outbox.append(2, data(2));
        outbox.append(3, data(3));

        int dropped = outbox.append(4, data(4));

        assertThat(dropped).isEqualTo(1);
        assertThat(outbox.pending()).extracting(Outbox.Entry::seq).containsExactly(1L, 3L, 4L);
    }

    @Test
    void fullOfResultsOnly_dropsOldestResult() {
        MemoryOutbox outbox = new MemoryOutbox(2, clock);
        outbox.append(1, result(1));
        outbox.append(2, result(2));

        assertThat(outbox.append(3, result(3))).isEqualTo(1);
        assertThat(outbox.pending()).extracting(Outbox.Entry::seq).containsExactly(2L, 3L);
    }

    @Test
    void append_seqNotIncreasing_isRefused() {
        MemoryOutbox outbox = new MemoryOutbox(2, clock);
        outbox.append(5, data(5));

        assertThatThrownBy(() -> outbox.append(5, data(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void empty_hasNoLowestSeq() {
        MemoryOutbox outbox = new MemoryOutbox(2, clock);

        assertThat(outbox.lowestSeq()).isEmpty();
        assertThat(outbox.oldestAppendedAtMillis()).isEmpty();
        assertThat(outbox.size()).isZero();
    }
}
