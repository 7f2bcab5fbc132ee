package io.headroom.controller.market;

import java.time.Instant;
import java.util.Optional;

/**
 * Where one input's prices come from: a file, an HTTP endpoint. The evaluator asks for the latest
 * point; a backtest asks for the series over its range. A source never throws for a bad reply or a
 * missing value: it keeps its last good point and counts the failure.
 */
public interface PriceSource extends AutoCloseable {

    /** The latest point at or before {@code now}; empty when none has been read yet. */
    Optional<PricePoint> latest(Instant now);

    /** The points this source holds in force during {@code [from, to)}. */
    PriceSeries series(Instant from, Instant to);

    /** For the API and logs, e.g. {@code file prices.csv} or {@code http https://…}. */
    String describe();

    /** Replies or reloads that failed and were dropped, the last good point kept. */
    default long failures() {
        return 0;
    }

    /** Why the last failure happened; empty when none did. */
    default Optional<String> lastFailure() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
