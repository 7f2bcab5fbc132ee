package io.headroom.bench;

import io.headroom.agent.config.OutboxSettings.Fsync;
import io.headroom.agent.publish.outbox.SegmentOutbox;
import io.headroom.protocol.wire.Data;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the agent's durable outbox on this machine's disk: appends of a 500-device rack's
 * one-second batch (600 samples) under each fsync policy, then the replay read-back. Prints, per
 * policy, one line:
 *
 * <pre>
 * BENCH outbox fsync=always writes_per_s=… mb_per_s=… bytes_per_sample=… samples_per_s=… fsyncs=… replay_per_s=…
 * </pre>
 *
 * A write is one append (one record, one {@code write} call). Arguments: the number of appends per
 * policy (default 5,000) and the directory to write in (default a temporary one: put it on the disk
 * the agent will use, since tmpfs makes fsync free).
 */
public final class OutboxBench {
    static final int SAMPLES = 600;

    private OutboxBench() {}

    public static void main(String[] args) throws IOException {
        int appends = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Path base = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("headroom-outbox-bench");
        Data[] batches = new Data[64];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = batch(1000 + i);
        }
        for (Fsync fsync : Fsync.values()) {
            Path dir = base.resolve(fsync.name().toLowerCase(Locale.ROOT));
            delete(dir);
            long bytes;
            long fsyncs;
            double seconds;
            double replaySeconds;
            try (SegmentOutbox outbox =
                    SegmentOutbox.open(dir, appends + 1, 1L << 40, 0, fsync, 1_000, Clock.systemUTC())) {
                long start = System.nanoTime();
                for (int i = 0; i < appends; i++) {
                    Data template = batches[i % batches.length];
                    outbox.append(template.toBuilder().setSeq(1000 + i).build());
                    if ((i & 63) == 0) {
                        outbox.tick();
                    }
                }
                seconds = (System.nanoTime() - start) / 1e9;
                bytes = outbox.bytes();
                fsyncs = outbox.fsyncs();
                long replayStart = System.nanoTime();
                long cursor = 0;
                int read = 0;
                for (var page = outbox.after(cursor, 256); !page.isEmpty(); page = outbox.after(cursor, 256)) {
                    cursor = page.get(page.size() - 1).ordinal();
                    read += page.size();
                }
                replaySeconds = (System.nanoTime() - replayStart) / 1e9;
                if (read != appends) {
                    throw new IllegalStateException("read back " + read + " of " + appends);
                }
            }
            System.out.println(String.format(
                    Locale.ROOT,
                    "BENCH outbox fsync=%s writes_per_s=%.0f mb_per_s=%.1f bytes_per_sample=%.2f samples_per_s=%.3g"
                            + " fsyncs=%d replay_per_s=%.0f appends=%d dir=%s",
                    fsync.name().toLowerCase(Locale.ROOT),
                    appends / seconds,
                    bytes / seconds / 1e6,
                    (double) bytes / ((long) appends * SAMPLES),
                    appends * (double) SAMPLES / seconds,
                    fsyncs,
                    appends / replaySeconds,
                    appends,
                    dir));
            delete(dir);
        }
    }

    /** 50 of 500 devices × 12 metrics: what one second of a rack polled every 10 s changes. */
    static Data batch(long seq) {
        Data.Builder data = Data.newBuilder().setBootId(0x5EED).setSeq(seq).setTimestampMs(1_764_583_200_000L + seq);
        long device0 = (seq % 10) * 50;
        for (int d = 0; d < 50; d++) {
            for (int m = 0; m < 12; m++) {
                data.addAlias((int) (200 + (device0 + d) * 12 + m));
                data.addValue(3000 + ((seq * 7 + d * 13 + m) % 1000) / 10.0);
                data.addOffsetMs(-((d * 17 + m) % 1000));
            }
        }
        return data.build();
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
