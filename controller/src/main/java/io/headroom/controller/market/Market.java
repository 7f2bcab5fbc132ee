package io.headroom.controller.market;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The economics layer of one site: its price sources, the strike evaluator and the ledger. The
 * engine loop calls {@link #decide} with the fleet's efficiency and {@link #record} with what the
 * site did; the API shows what it last decided. Thread-safe: decisions are serialised.
 */
public final class Market implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Market.class);

    private final MarketConfig config;
    private final Map<MarketInput, PriceSource> sources;
    private final MarketLedger ledger;
    private final List<ScheduledFuture<?>> polls = new ArrayList<>();
    private @Nullable ScheduledExecutorService pollThread;
    // Guarded by this.
    private final MarketEvaluator evaluator;
    private volatile @Nullable MarketDecision last;

    private Market(MarketConfig config, String site, Map<MarketInput, PriceSource> sources, MarketState state) {
        this.config = config;
        this.sources = Map.copyOf(sources);
        this.evaluator = new MarketEvaluator(config.rules(), state);
        this.ledger = new MarketLedger(site, config.ledgerHours());
    }

    /**
     * A market on these sources (a backtest's, a test's).
     *
     * @throws IllegalArgumentException when a configured input has no source
     */
    public static Market of(
            MarketConfig config, String site, Map<MarketInput, PriceSource> sources, MarketState state) {
        Objects.requireNonNull(config, "config");
        for (MarketInput input : config.inputs().keySet()) {
            if (!sources.containsKey(input)) {
                throw new IllegalArgumentException("sources: no source for " + input.spelling());
            }
        }
        return new Market(config, site, sources, state);
    }

    /**
     * Opens the configured sources: files are read now (a bad file refuses the start with its line),
     * HTTP sources are polled from {@link #start}.
     *
     * @throws IOException naming the input and the file, line and problem
     */
    public static Market open(MarketConfig config, String site, MarketState state) throws IOException {
        Map<MarketInput, PriceSource> sources = new EnumMap<>(MarketInput.class);
        for (Map.Entry<MarketInput, MarketConfig.InputConfig> entry :
                config.inputs().entrySet()) {
            MarketConfig.InputConfig input = entry.getValue();
            String name = "market." + entry.getKey().spelling();
            if (input.source() == MarketConfig.SourceKind.FILE) {
                try {
                    sources.put(
                            entry.getKey(), FilePriceSource.open(input.file().orElseThrow()));
                } catch (PriceDataException e) {
                    throw new IOException(name + ": " + e.getMessage(), e);
                } catch (IOException e) {
                    throw new IOException(
                            name + ": cannot read " + input.file().orElseThrow().path() + ": " + e, e);
                }
            } else if (input.source() == MarketConfig.SourceKind.MQTT) {
                sources.put(
                        entry.getKey(),
                        new MqttPriceSource(
                                entry.getKey(),
                                input.mqtt().orElseThrow(),
                                statedUnit(config, entry.getKey()),
                                io.headroom.protocol.Topics.marketPrice(
                                                site, entry.getKey().spelling())
                                        .toWire()));
            } else {
                sources.put(entry.getKey(), new HttpPriceSource(input.http().orElseThrow()));
            }
        }
        LOGGER.info(
                "market: {} inputs ({}), strike on {}, fallback {}",
                sources.size(),
                sources.values().stream().map(PriceSource::describe).toList(),
                config.strikeOn().spelling(),
                config.fallback().policy());
        return new Market(config, site, sources, state);
    }

    /**
     * Polls every HTTP source at its interval, the first poll at once, on a thread of the market's
     * own: a slow price server must never delay the controller's heartbeat or the engine.
     */
    public synchronized void start(Clock clock) {
        if (pollThread != null || sources.values().stream().noneMatch(HttpPriceSource.class::isInstance)) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "headroom-market-poll");
            thread.setDaemon(true);
            return thread;
        });
        pollThread = executor;
        sources.forEach((input, source) -> {
            if (source instanceof HttpPriceSource http) {
                long every = http.config().interval().toMillis();
                polls.add(executor.scheduleWithFixedDelay(
                        () -> poll(input, http, clock), 0, every, TimeUnit.MILLISECONDS));
            }
        });
    }

    private static void poll(MarketInput input, HttpPriceSource http, Clock clock) {
        try {
            if (http.poll(clock.instant()).isEmpty()) {
                LOGGER.warn(
                        "market.{}: poll failed ({} so far), last good price kept: {}",
                        input.spelling(),
                        http.failures(),
                        http.lastFailure().orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.error("market.{}: poll failed", input.spelling(), e);
        }
    }

    /** The unit {@code input}'s source states its values in: its own, or AI capacity's configured one. */
    static String statedUnit(MarketConfig config, MarketInput input) {
        return input == MarketInput.AI_CAPACITY ? config.aiCapacityUnit().unit() : input.unit();
    }

    /**
     * The MQTT endpoint's way in to this market's {@code source: mqtt} inputs; empty when it has none.
     *
     * @param clock the controller's clock, which published times are judged against
     */
    public Optional<MarketPriceFeed> priceFeed(
            io.micrometer.core.instrument.MeterRegistry registry,
            Clock clock,
            java.util.function.LongSupplier nanoTime) {
        Map<MarketInput, MqttPriceSource> mqtt = new EnumMap<>(MarketInput.class);
        sources.forEach((input, source) -> {
            if (source instanceof MqttPriceSource feed) {
                mqtt.put(input, feed);
            }
        });
        return mqtt.isEmpty() ? Optional.empty() : Optional.of(new MarketPriceFeed(mqtt, registry, clock, nanoTime));
    }

    /**
     * The latest point of every input at {@code now}, each in its input's unit: an AI capacity price
     * stated per GPU-hour is given here in USD/kWh ({@link AiPriceUnit.Conversion}).
     */
    public MarketInputs inputs(Instant now) {
        Map<MarketInput, PricePoint> latest = new EnumMap<>(MarketInput.class);
        AiPriceUnit.Conversion ai = config.aiConversion();
        sources.forEach((input, source) -> source.latest(now)
                .ifPresent(point -> latest.put(
                        input,
                        input == MarketInput.AI_CAPACITY
                                ? new PricePoint(point.at(), ai.toUsdPerKwh(point.value()))
                                : point)));
        return new MarketInputs(latest);
    }

    /** Decides at {@code now} for {@code fleet} (per model, or per device); the API shows the result. */
    public synchronized MarketDecision decide(Instant now, List<ModelEconomics> fleet) {
        MarketDecision decision = evaluator.evaluate(now, inputs(now), fleet);
        last = decision;
        return decision;
    }

    /** Adds what the site did during {@code [from, to)} to the ledger. */
    public void record(Instant from, Instant to, LedgerSample sample) {
        ledger.record(from, to, sample);
    }

    /** The prices in force at {@code now} with what the site did, as a ledger sample wants them. */
    public LedgerSample sample(
            Instant now,
            double siteKw,
            double hashingKw,
            double hashrateThs,
            double aiKw,
            double curtailedKw,
            double curtailedThs) {
        MarketDecision decision = last;
        java.util.OptionalDouble energy =
                decision != null && decision.strikePrice().isPresent()
                        ? java.util.OptionalDouble.of(decision.strikePrice().get())
                        : fresh(now, config.strikeOn());
        return new LedgerSample(
                siteKw,
                hashingKw,
                hashrateThs,
                aiKw,
                curtailedKw,
                curtailedThs,
                energy,
                fresh(now, MarketInput.HASHPRICE),
                fresh(now, MarketInput.AI_CAPACITY));
    }

    private java.util.OptionalDouble fresh(Instant now, MarketInput input) {
        return inputStatuses(now).stream()
                .filter(s -> s.input() == input && !s.stale())
                .flatMap(s -> s.latest().stream())
                .mapToDouble(PricePoint::value)
                .findFirst();
    }

    /** Each configured input at {@code now}: latest point, age, stale or not. */
    public List<InputStatus> inputStatuses(Instant now) {
        return MarketEvaluator.statuses(now, inputs(now), config.rules().maxAges());
    }

    /** What {@link #decide} last returned. */
    public Optional<MarketDecision> lastDecision() {
        return Optional.ofNullable(last);
    }

    /** The evaluator's state, to write down for a restart. */
    public synchronized MarketState snapshot() {
        return evaluator.snapshot();
    }

    public MarketConfig config() {
        return config;
    }

    public Map<MarketInput, PriceSource> sources() {
        return sources;
    }

    public MarketLedger ledger() {
        return ledger;
    }

    @Override
    public synchronized void close() {
        polls.forEach(poll -> poll.cancel(true));
        polls.clear();
        if (pollThread != null) {
            pollThread.shutdownNow();
            pollThread = null;
        }
        sources.values().forEach(PriceSource::close);
    }
}
