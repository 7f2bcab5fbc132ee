package io.headroom.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * D53: ingest applies a device's samples of one message under one lock, and readers copy under the
 * same lock. Two writers race batches of every slot with interleaved, rising stamps, each value
 * derived from its own stamp and slot; two readers copy the record meanwhile ({@link
 * DeviceRecord#sample()} and {@link DeviceRecord#view()} in turn). Every copy must show each
 * value with its own stamp (no torn sample), every slot at the same stamp (a batch whole, never
 * half of one), no slot going back in time; and at the end every slot holds the newest stamp
 * written (no lost update: an older batch never overwrote a newer one).
 *
 * <p>It fails on a record whose batch apply takes no lock (torn copies, lost updates) and on one
 * that locks per sample (half batches), as checked when D53 was written.
 */
class DeviceRecordConcurrencyTest {

    private static final int SLOTS = 32;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    /** Per writer, at least; writers go on until the readers have made {@link #MIN_READS} copies. */
    private static final int MIN_BATCHES = 20_000;

    private static final int MIN_READS = 20_000;
    /** A bound in case the readers stopped: the test then fails on what they reported. */
    private static final int MAX_BATCHES = 5_000_000;
    /** The controller's clock: far after every stamp, so ordering alone decides what is stored. */
    private static final long NOW = Long.MAX_VALUE;

    private static final int GOOD = Quality.QUALITY_GOOD_VALUE;

    /** What a copy or the end state can show that the record must never let happen. */
    private enum Problem {
        TORN,
        HALF_BATCH,
        BACKWARDS,
        LOST_UPDATE
    }

    /** How often each problem was seen, and the first few examples. */
    private static final class Seen {
        final AtomicLongArray counts = new AtomicLongArray(Problem.values().length);
        final Queue<String> examples = new ConcurrentLinkedQueue<>();

        void add(Problem problem, String example) {
            if (counts.getAndIncrement(problem.ordinal()) < 3) {
                examples.add(problem + ": " + example);
            }
        }

        long total() {
            long total = 0;
            for (int i = 0; i < counts.length(); i++) {
                total += counts.get(i);
            }
            return total;
        }
    }

    /** A value only this (stamp, slot) pair writes; exact in a double for stamps below 2^47. */
    private static double valueOf(long at, int slot) {
        return (double) (at * SLOTS + slot);
    }

    private static DeviceRecord record() {
        List<MetricSlot> slots = new ArrayList<>();
        for (int s = 0; s < SLOTS; s++) {
            // Not in the dictionary: no plausible range, every value stored as given.
            slots.add(new MetricSlot("test.value", "s" + s, "1"));
        }
        return new DeviceRecord(
                "dev-1",
                "a1",
                "miner",
                "m",
                "p",
                "",
                0,
                slots,
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                Instant.parse("2026-12-02T12:00:00Z"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readersSeeEverySampleWhole_andEveryBatchWhole_andNoUpdateIsLost() throws Exception {
        DeviceRecord record = record();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        Seen seen = new Seen();
        CyclicBarrier start = new CyclicBarrier(WRITERS + READERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try {
            List<Future<Long>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    start.await();
                    SampleBatch batch = new SampleBatch();
                    long stamp = 0;
                    for (int k = 1; k <= MAX_BATCHES && (k <= MIN_BATCHES || reads.get() < MIN_READS); k++) {
                        stamp = (long) WRITERS * k + writer;
                        batch.clear();
                        for (int s = 0; s < SLOTS; s++) {
                            batch.add(s, valueOf(stamp, s), stamp, GOOD);
                        }
                        record.apply(batch, NOW);
                    }
                    return stamp;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    long[] last = new long[SLOTS];
                    Arrays.fill(last, Long.MIN_VALUE);
                    long[] at = new long[SLOTS];
                    double[] value = new double[SLOTS];
                    boolean[] present = new boolean[SLOTS];
                    long copies = 0;
                    while (writing.get()) {
                        boolean viaView = (copies++ & 1) == 1;
                        copy(record, viaView, present, value, at);
                        check(viaView ? "view" : "sample", present, value, at, last, seen);
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            long newest = Long.MIN_VALUE;
            for (Future<Long> writer : writers) {
                newest = Math.max(newest, writer.get());
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get();
            }

            DeviceSample end = record.sample();
            for (int s = 0; s < SLOTS; s++) {
                if (end.atMillis(s) != newest || end.value(s) != valueOf(newest, s)) {
                    seen.add(Problem.LOST_UPDATE, "slot " + s + " ends at " + end.atMillis(s) + ", newest " + newest);
                }
            }
            assertThat(seen.total())
                    .as("problems by kind %s %s: %s", Arrays.toString(Problem.values()), seen.counts, seen.examples)
                    .isZero();
            assertThat(reads.get()).as("copies taken while writers ran").isGreaterThanOrEqualTo(MIN_READS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void copy(DeviceRecord record, boolean viaView, boolean[] present, double[] value, long[] at) {
        if (viaView) {
            DeviceView view = record.view();
            for (int s = 0; s < SLOTS; s++) {
                MetricReading reading = view.metric(record.slot(s).displayKey());
                present[s] = reading != null;
                if (present[s]) {
                    value[s] = reading.value();
                    at[s] = reading.at().toEpochMilli();
                }
            }
        } else {
            DeviceSample sample = record.sample();
            for (int s = 0; s < SLOTS; s++) {
                present[s] = sample.has(s);
                value[s] = sample.value(s);
                at[s] = sample.atMillis(s);
            }
        }
    }

    private static void check(String how, boolean[] present, double[] value, long[] at, long[] last, Seen seen) {
        for (int s = 0; s < SLOTS; s++) {
            if (present[s] != present[0]) {
                seen.add(Problem.HALF_BATCH, how + ": slot " + s + " read " + present[s] + ", slot 0 " + present[0]);
                continue;
            }
            if (!present[s]) {
                continue;
            }
            if (value[s] != valueOf(at[s], s)) {
                seen.add(Problem.TORN, how + ": slot " + s + ": value " + value[s] + " with stamp " + at[s]);
            }
            if (at[s] != at[0]) {
                seen.add(Problem.HALF_BATCH, how + ": slot " + s + " at " + at[s] + ", slot 0 at " + at[0]);
            }
            if (at[s] < last[s]) {
                seen.add(Problem.BACKWARDS, how + ": slot " + s + " from " + last[s] + " to " + at[s]);
            }
            last[s] = at[s];
        }
    }
}
