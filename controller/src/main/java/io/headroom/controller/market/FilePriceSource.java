package io.headroom.controller.market;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Prices from a CSV or JSON file, read in full at start-up (a bad file refuses the start, naming
 * the line). {@link #reload()} reads it again; a reload that fails is counted and the series read
 * before is kept. Thread-safe.
 */
public final class FilePriceSource implements PriceSource {
    private final MarketConfig.FileSource config;
    private final AtomicLong failures = new AtomicLong();
    private volatile PriceSeries series;
    private volatile @Nullable String lastFailure;

    private FilePriceSource(MarketConfig.FileSource config, PriceSeries series) {
        this.config = config;
        this.series = series;
    }

    /**
     * Reads the file.
     *
     * @throws IOException if it cannot be read
     * @throws PriceDataException naming the file, the line and what is wrong
     */
    public static FilePriceSource open(MarketConfig.FileSource config) throws IOException, PriceDataException {
        Objects.requireNonNull(config, "config");
        return new FilePriceSource(config, PriceFiles.read(config));
    }

    /** Reads the file again; on failure keeps the series it had and counts the failure. */
    public boolean reload() {
        try {
            series = PriceFiles.read(config);
            return true;
        } catch (IOException | PriceDataException e) {
            failures.incrementAndGet();
            lastFailure = e.getMessage();
            return false;
        }
    }

    @Override
    public Optional<PricePoint> latest(Instant now) {
        return series.at(now);
    }

    @Override
    public PriceSeries series(Instant from, Instant to) {
        return series.between(from, to);
    }

    /** Every point read. */
    public PriceSeries series() {
        return series;
    }

    @Override
    public String describe() {
        return "file " + config.path();
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }
}
