package io.headroom.agent.publish.outbox;

import io.headroom.agent.config.OutboxSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the outbox {@code agent.yaml} asks for. */
public final class Outboxes {

    private static final Logger logger = LoggerFactory.getLogger(Outboxes.class);

    private Outboxes() {}

    /**
     * The segment log in {@code outbox.dir}, or the memory outbox when it is not set or cannot be
     * used (logged as an error: the agent still runs, but an outage is then survived only while
     * the agent keeps running).
     *
     * @param maxRecords {@code publish.max-unacked}
     */
    public static Outbox open(OutboxSettings settings, int maxRecords, Clock clock) {
        long maxBytes = settings.maxBytes().bytes();
        long maxAge = settings.maxAge().toMillis();
        Optional<Path> dir = settings.dir();
        if (dir.isEmpty()) {
            logger.warn("outbox.dir is not set: unacknowledged data is kept in memory only and lost on restart");
            return new MemoryOutbox(maxRecords, maxBytes, maxAge, clock);
        }
        try {
            return SegmentOutbox.open(
                    dir.get(),
                    maxRecords,
                    maxBytes,
                    maxAge,
                    settings.fsync(),
                    settings.fsyncInterval().toMillis(),
                    clock);
        } catch (IOException | RuntimeException e) {
            logger.error(
                    "outbox.dir {} cannot be used ({}): unacknowledged data is kept in memory only",
                    dir.get(),
                    e.toString());
            return new MemoryOutbox(maxRecords, maxBytes, maxAge, clock);
        }
    }
}
