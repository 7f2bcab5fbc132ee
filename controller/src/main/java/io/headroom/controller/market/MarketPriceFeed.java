package io.headroom.controller.market;

import io.headroom.controller.log.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MQTT endpoint hands a {@code price} principal's publishes to: the market's MQTT inputs by
 * name ({@code headroom/v1/<site>/market/<name>}), each payload judged against the controller's
 * clock, every drop counted by input and reason and logged (rate-limited). Thread-safe and never
 * blocking: a payload is parsed and appended on the caller's thread in bounded time.
 *
 * <p>Meters: {@code headroom.market.mqtt.accepted{input}}, {@code headroom.market.mqtt.dropped{input,
 * reason}}.
 */
public final class MarketPriceFeed {
    private static final Logger logger = LoggerFactory.getLogger(MarketPriceFeed.class);

    private final Map<String, MqttPriceSource> sources;
    private final Map<String, Counter> accepted = new LinkedHashMap<>();
    /** By input, then by {@link PriceDropReason#ordinal()}. */
    private final Map<String, Counter[]> dropped = new LinkedHashMap<>();

    private final Clock clock;
    private final LongSupplier nanoTime;
    private final RateLimitedLog log;

    /**
     * @param clock the controller's wall clock, which prices' times are judged against
     * @param nanoTime a monotonic clock for the flood window and the log's rate limit
     */
    public MarketPriceFeed(
            Map<MarketInput, MqttPriceSource> sources, MeterRegistry registry, Clock clock, LongSupplier nanoTime) {
        Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        Map<String, MqttPriceSource> byName = new LinkedHashMap<>();
        new EnumMap<>(sources).forEach((input, source) -> {
            String name = input.spelling();
            byName.put(name, source);
            accepted.put(
                    name,
                    Counter.builder("headroom.market.mqtt.accepted")
                            .tag("input", name)
                            .description("Prices published over MQTT and taken")
                            .register(registry));
            Counter[] byReason = new Counter[PriceDropReason.values().length];
            for (PriceDropReason reason : PriceDropReason.values()) {
                byReason[reason.ordinal()] = Counter.builder("headroom.market.mqtt.dropped")
                        .tag("input", name)
                        .tag("reason", reason.tag())
                        .description("Prices published over MQTT and dropped; the input's last point stays")
                        .register(registry);
            }
            dropped.put(name, byReason);
        });
        this.sources = Map.copyOf(byName);
        // 5 lines per reason per 10 s: a flood of bad prices is visible, never a flood of lines.
        this.log = new RateLimitedLog(logger, 5, 10_000, registry, nanoTime);
    }

    /** Whether {@code input} (the topic's last level) is an input fed over MQTT. */
    public boolean takes(String input) {
        return sources.containsKey(input);
    }

    /**
     * Takes one payload published on {@code input}'s topic; {@code payload} is only read during the
     * call.
     *
     * @param from the publishing principal, for the log
     * @return empty when taken, else the drop (counted)
     * @throws IllegalArgumentException when {@link #takes(String) input is not taken} here
     */
    public Optional<MqttPriceSource.Drop> receive(String input, ByteBuffer payload, String from) {
        MqttPriceSource source = sources.get(input);
        if (source == null) {
            throw new IllegalArgumentException("input: '" + input + "' is not fed over MQTT");
        }
        Optional<MqttPriceSource.Drop> drop = source.offer(payload, clock.instant(), nanoTime.getAsLong());
        if (drop.isPresent()) {
            PriceDropReason reason = drop.get().reason();
            Objects.requireNonNull(dropped.get(input), "counters per input")[reason.ordinal()].increment();
            log.warn(
                    reason.tag(),
                    "market.{}: price from '{}' dropped ({}): {}",
                    input,
                    from,
                    reason.tag(),
                    drop.get().detail());
        } else {
            Objects.requireNonNull(accepted.get(input), "counter per input").increment();
        }
        return drop;
    }
}
