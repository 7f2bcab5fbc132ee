package io.headroom.agent.config;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how much the agent keeps of what the controller has not acknowledged yet.
 *
 * <p>The defaults hold an hour of a 500-device rack with room to spare: a Data batch costs about
 * 12 bytes per sample on disk (a 2-byte alias, an 8-byte value and a 2-byte offset, plus the
 * record's 43 bytes of framing shared by the batch; {@code RackOutageTest} checks it, {@code
 * OutboxBench} measures it); 500 devices reporting 12 changed metrics every 10 s is 600 samples/s,
 * 7.2 kB/s, 26 MB an hour, well under 64 MiB. {@code docs/outbox.md} shows the arithmetic.
 *
 * @param dir directory of the durable segment log; absent keeps the outbox in memory only (lost on
 *     restart, logged at start-up)
 * @param maxBytes bound of the kept records; past it the oldest telemetry goes first
 * @param maxAge records older than this are dropped whatever their priority
 * @param fsync when appended records are forced to the disk
 * @param fsyncInterval with {@code fsync: interval}, the longest a record waits for its fsync
 */
@Doc("The durable outbox: what is kept, on disk, until the controller acknowledges it.")
public record OutboxSettings(
        @Doc("Directory of the segment log (e.g. /var/lib/headroom/outbox); absent: memory only, lost on restart.")
        Optional<Path> dir,

        @Doc("Bound of the kept records; past it the oldest telemetry is dropped first.") @Default("64MiB")
        DataSize maxBytes,

        @Doc("Records older than this are dropped, whatever their priority.")
        @Default("2h")
        @Range(min = "1s", max = "30d")
        Duration maxAge,

        @Doc("always: fsync every append; interval: results and status changes at once, telemetry at most"
                + " fsync-interval later; never: leave it to the OS. Every mode survives kill -9.")
        @Default("interval")
        Fsync fsync,

        @Doc("With fsync: interval, the longest an appended record waits to be forced to disk.")
        @Default("1s")
        @Range(min = "1ms", max = "1h")
        Duration fsyncInterval) {

    /** When appended records are forced to disk. */
    public enum Fsync {
        ALWAYS,
        INTERVAL,
        NEVER
    }

    public OutboxSettings {
        if (maxBytes.bytes() < 64 * 1024) {
            throw new IllegalArgumentException("max-bytes: " + maxBytes + " is below the minimum of 64KiB");
        }
    }

    /** Every default: memory only, 64 MiB, two hours, fsync at most a second after an append. */
    public static OutboxSettings defaults() {
        return new OutboxSettings(
                Optional.empty(), new DataSize(64L << 20), Duration.ofHours(2), Fsync.INTERVAL, Duration.ofSeconds(1));
    }
}
