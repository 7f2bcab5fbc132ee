package io.headroom.agent.publish.outbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outbox as {@code GET /health} shows it.
 *
 * @param durable true for the segment log on disk, false when kept in memory only
 * @param depth records kept until the controller acknowledges them
 * @param bytes their size, as {@code outbox.max-bytes} counts it
 * @param oldestAgeSeconds age of the oldest kept record; 0 when empty
 * @param dropped records let go unacknowledged, by {@link DropReason#tag()}
 * @param quarantined corrupt segments moved aside at start-up
 */
public record OutboxSnapshot(
        boolean durable, int depth, long bytes, long oldestAgeSeconds, Map<String, Long> dropped, long quarantined) {

    public OutboxSnapshot {
        dropped = Map.copyOf(dropped);
    }

    /** Reads the statistics, which any thread may. */
    public static OutboxSnapshot of(Outbox outbox, Clock clock) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason.tag(), outbox.dropped(reason));
        }
        long oldest = outbox.oldestAppendedAtMillis().orElse(clock.millis());
        return new OutboxSnapshot(
                outbox instanceof SegmentOutbox,
                outbox.size(),
                outbox.bytes(),
                Math.max(0, (clock.millis() - oldest) / 1000),
                dropped,
                outbox.quarantined());
    }
}
