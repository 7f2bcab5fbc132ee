package io.headroom.controller.market;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Prices published on the controller's own MQTT endpoint ({@code headroom/v1/<site>/market/<input>},
 * see {@link MarketPriceFeed}). Each payload is parsed and judged at once and either appended to the
 * series or dropped with a {@link PriceDropReason}; nothing blocks (no I/O, one short lock over a
 * bounded copy), so it may run on the event loop that read the payload. Thread-safe.
 *
 * <p>Dropped: a payload {@link MqttPricePayload} refuses; a value outside {@code min-value} ..
 * {@code max-value}; a point dated more than {@code max-ahead} past the clock; a point dated before
 * the latest one (the same time again is a revised price and replaces it); more than
 * {@code max-per-minute} points in a minute. A point within {@code max-ahead} but later than now
 * (a day-ahead price) is held and comes into force at its time, as in a file. Staleness is not
 * judged here: the evaluator applies the input's {@code max-age} and the fallback policy exactly as
 * for a file or HTTP input.
 */
public final class MqttPriceSource implements PriceSource {
    /** Points kept (a day of 5-minute prices, and some). */
    static final int KEEP_POINTS = 512;

    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final MarketInput input;
    private final MarketConfig.MqttSource config;
    private final String unit;
    private final String topic;
    private final AtomicLong failures = new AtomicLong();
    private volatile PriceSeries received = PriceSeries.empty();
    private volatile @Nullable String lastFailure;
    // Guarded by this: a window of one minute on the monotonic clock and the points taken in it.
    private long windowStartNanos;
    private int inWindow;
    private boolean windowOpen;

    /**
     * @param unit the unit the feed publishes in: the input's, or for AI capacity its stated unit
     * @param topic the wire topic, for {@link #describe()}
     */
    public MqttPriceSource(MarketInput input, MarketConfig.MqttSource config, String unit, String topic) {
        this.input = Objects.requireNonNull(input, "input");
        this.config = Objects.requireNonNull(config, "config");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    public MarketInput input() {
        return input;
    }

    public MarketConfig.MqttSource config() {
        return config;
    }

    /**
     * Takes one payload at {@code now} ({@code nanoTime} for the flood window).
     *
     * @return empty when the point was taken, else why it was dropped (already counted here)
     */
    public Optional<Drop> offer(ByteBuffer payload, Instant now, long nanoTime) {
        PricePoint point;
        try {
            point = MqttPricePayload.parse(payload, config.maxPayload().bytes(), unit);
        } catch (MqttPricePayload.InvalidPriceException e) {
            return dropped(e.reason(), String.valueOf(e.getMessage()));
        }
        if (config.minValue().isPresent() && point.value() < config.minValue().get()
                || config.maxValue().isPresent()
                        && point.value() > config.maxValue().get()) {
            return dropped(
                    PriceDropReason.OUT_OF_RANGE,
                    "value " + point.value() + " " + unit + " is outside "
                            + config.minValue().map(String::valueOf).orElse("") + ".."
                            + config.maxValue().map(String::valueOf).orElse(""));
        }
        if (point.at().isAfter(now.plus(config.maxAhead()))) {
            return dropped(
                    PriceDropReason.FUTURE,
                    "time " + point.at() + " is more than max-ahead " + config.maxAhead() + " past the controller's "
                            + now);
        }
        synchronized (this) {
            Optional<PricePoint> last = received.last();
            if (last.isPresent() && point.at().isBefore(last.get().at())) {
                return dropped(
                        PriceDropReason.OUT_OF_ORDER,
                        "time " + point.at() + " is before the latest point's "
                                + last.get().at());
            }
            if (!windowOpen || nanoTime - windowStartNanos >= MINUTE_NANOS) {
                windowOpen = true;
                windowStartNanos = nanoTime;
                inWindow = 0;
            }
            if (inWindow >= config.maxPerMinute()) {
                return dropped(
                        PriceDropReason.FLOOD,
                        "more than max-per-minute " + config.maxPerMinute() + " prices in a minute");
            }
            inWindow++;
            received = received.append(point, KEEP_POINTS);
        }
        return Optional.empty();
    }

    private Optional<Drop> dropped(PriceDropReason reason, String detail) {
        failures.incrementAndGet();
        lastFailure = reason.tag() + ": " + detail;
        return Optional.of(new Drop(reason, detail));
    }

    @Override
    public Optional<PricePoint> latest(Instant now) {
        return received.at(now);
    }

    @Override
    public PriceSeries series(Instant from, Instant to) {
        return received.between(from, to);
    }

    @Override
    public String describe() {
        return "mqtt " + topic;
    }

    /** Payloads dropped, whatever the reason. */
    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * A dropped price.
     *
     * @param reason the counter's tag
     * @param detail what was wrong, safe to log
     */
    public record Drop(PriceDropReason reason, String detail) {
        public Drop {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
