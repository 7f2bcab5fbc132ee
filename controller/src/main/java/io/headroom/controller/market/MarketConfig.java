package io.headroom.controller.market;

import io.headroom.config.DataSize;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code market} section of {@code controller.yaml} ({@code docs/market.md}): where each price
 * comes from and how old it may get, the fail-safe when one is stale, and the strike rules.
 *
 * @param hashprice USD per PH/s per day
 * @param energyRt real-time energy price, USD/MWh
 * @param energyDa day-ahead energy price, USD/MWh; shown, and the strike price with strike-on
 * @param aiCapacity what AI capacity earns, in {@code aiCapacityUnit}; only the ledger uses it
 * @param strikeOn which energy price the strike rules compare with break-even
 * @param fallback what a stale or missing price means; stated in the file, never implied
 * @param marginUsdPerMwh strike only when the energy price is this far above break-even
 * @param hysteresisUsdPerMwh resume only below break-even + margin − this
 * @param curtailAfter N: consecutive price intervals above before a strike
 * @param resumeAfter M: consecutive price intervals below before a strike ends
 * @param classStrikes priority classes struck as a whole (on their aggregate efficiency) rather
 *     than model by model
 * @param ledgerHours how many hours the ledger keeps
 * @param aiCapacityUnit whether the AI capacity price is stated per kW-hour or per GPU-hour
 * @param aiKwPerGpu with per GPU-hour: the kW one GPU stands for (its share of the server's
 *     contracted draw), by which a GPU-hour price is divided to give USD/kWh
 */
@Doc("Market-driven curtailment (docs/market.md): price inputs, the stale-price fail-safe, strike rules"
        + " with dwell, and the hourly ledger.")
public record MarketConfig(
        @Doc("Hashprice, USD per PH/s per day.") InputConfig hashprice,
        @Doc("Real-time energy price, USD/MWh.") InputConfig energyRt,
        @Doc("Day-ahead energy price, USD/MWh.") Optional<InputConfig> energyDa,

        @Doc("AI capacity price, in ai-capacity-unit (ledger only).")
        Optional<InputConfig> aiCapacity,

        @Doc("Which energy price the strike rules compare with break-even: energy-rt or energy-da.")
        @Default("energy-rt")
        MarketInput strikeOn,

        Fallback fallback,

        @Doc("Strike only when the energy price is above break-even plus this (USD/MWh).")
        @Default("0")
        @Range(min = "0", max = "10000")
        double marginUsdPerMwh,

        @Doc("A strike ends only below break-even + margin - hysteresis (USD/MWh).")
        @Default("0")
        @Range(min = "0", max = "10000")
        double hysteresisUsdPerMwh,

        @Doc("N: consecutive price intervals above break-even + margin before a model is struck.")
        @Default("3")
        @Range(min = "1", max = "10000")
        int curtailAfter,

        @Doc("M: consecutive price intervals below before a strike ends.")
        @Default("3")
        @Range(min = "1", max = "10000")
        int resumeAfter,

        @Doc("Priority classes struck as a whole, on their hashrate-weighted efficiency, instead of per model.")
        List<String> classStrikes,

        @Doc("Hours of hourly ledger kept for GET /api/v1/market/summary.")
        @Default("48")
        @Range(min = "1", max = "8784")
        int ledgerHours,

        @Doc("The unit the ai-capacity input is stated in: usd-per-kwh, or usd-per-gpu-hour (converted with"
                + " ai-kw-per-gpu).")
        @Default("usd-per-kwh")
        AiPriceUnit aiCapacityUnit,

        @Doc("With usd-per-gpu-hour: the kW one GPU stands for (its share of the GPU server's contracted"
                + " draw); USD/kWh = USD/GPU-h / this.")
        @Range(min = "0.01", max = "100")
        Optional<Double> aiKwPerGpu) {

    /** Without an AI capacity unit: per kW-hour. */
    public MarketConfig(
            InputConfig hashprice,
            InputConfig energyRt,
            Optional<InputConfig> energyDa,
            Optional<InputConfig> aiCapacity,
            MarketInput strikeOn,
            Fallback fallback,
            double marginUsdPerMwh,
            double hysteresisUsdPerMwh,
            int curtailAfter,
            int resumeAfter,
            List<String> classStrikes,
            int ledgerHours) {
        this(
                hashprice,
                energyRt,
                energyDa,
                aiCapacity,
                strikeOn,
                fallback,
                marginUsdPerMwh,
                hysteresisUsdPerMwh,
                curtailAfter,
                resumeAfter,
                classStrikes,
                ledgerHours,
                AiPriceUnit.USD_PER_KWH,
                Optional.empty());
    }

    public MarketConfig {
        if (strikeOn != MarketInput.ENERGY_RT && strikeOn != MarketInput.ENERGY_DA) {
            throw new IllegalArgumentException("strike-on: must be energy-rt or energy-da, not " + strikeOn.spelling());
        }
        if (strikeOn == MarketInput.ENERGY_DA && energyDa.isEmpty()) {
            throw new IllegalArgumentException("strike-on: energy-da needs an energy-da input");
        }
        classStrikes = List.copyOf(classStrikes);
        if (aiCapacityUnit == AiPriceUnit.USD_PER_GPU_HOUR && aiKwPerGpu.isEmpty()) {
            throw new IllegalArgumentException("ai-kw-per-gpu: required with ai-capacity-unit: usd-per-gpu-hour"
                    + " (the kW one GPU stands for, to turn USD/GPU-h into USD/kWh)");
        }
        if (aiCapacityUnit == AiPriceUnit.USD_PER_KWH && aiKwPerGpu.isPresent()) {
            throw new IllegalArgumentException(
                    "ai-kw-per-gpu: set, yet ai-capacity-unit is usd-per-kwh; say usd-per-gpu-hour to use it");
        }
        aiKwPerGpu.ifPresent(kw -> {
            if (!(kw > 0) || !Double.isFinite(kw)) {
                throw new IllegalArgumentException("ai-kw-per-gpu: " + kw + " is not a finite number > 0");
            }
        });
    }

    /** How the AI capacity price is stated and turned into USD/kWh. */
    public AiPriceUnit.Conversion aiConversion() {
        return new AiPriceUnit.Conversion(aiCapacityUnit, aiKwPerGpu);
    }

    /** The configured inputs by kind. */
    public Map<MarketInput, InputConfig> inputs() {
        Map<MarketInput, InputConfig> out = new EnumMap<>(MarketInput.class);
        out.put(MarketInput.HASHPRICE, hashprice);
        out.put(MarketInput.ENERGY_RT, energyRt);
        energyDa.ifPresent(input -> out.put(MarketInput.ENERGY_DA, input));
        aiCapacity.ifPresent(input -> out.put(MarketInput.AI_CAPACITY, input));
        return out;
    }

    /** The strike rules as the evaluator takes them. */
    public StrikeRules rules() {
        Map<MarketInput, Duration> maxAges = new EnumMap<>(MarketInput.class);
        inputs().forEach((input, config) -> maxAges.put(input, config.maxAge()));
        return new StrikeRules(
                strikeOn,
                maxAges,
                fallback,
                marginUsdPerMwh,
                hysteresisUsdPerMwh,
                curtailAfter,
                resumeAfter,
                classStrikes);
    }

    /** Where a source kind's settings are. */
    public enum SourceKind {
        FILE,
        HTTP,
        MQTT
    }

    /**
     * One price input.
     *
     * @param source which adapter reads it; its block ({@code file}, {@code http} or {@code mqtt})
     *     must be present
     * @param file a CSV or JSON file read at start-up
     * @param http an HTTP JSON endpoint polled at an interval
     * @param maxAge past this age the latest point is stale and the fallback applies
     * @param mqtt prices published on the controller's own MQTT endpoint by a {@code price} principal
     */
    @Doc("One price input: its source (file, http or mqtt, with that block) and how old it may get.")
    public record InputConfig(
            @Doc("file: a CSV or JSON file read at start-up; http: a JSON endpoint polled at an interval; mqtt:"
                    + " published on headroom/v1/<site>/market/<input> by a price principal.")
            SourceKind source,

            Optional<FileSource> file,
            Optional<HttpSource> http,

            @Doc("Past this age the latest price is stale and the fallback policy applies.")
            @Range(min = "1s", max = "30d")
            Duration maxAge,

            Optional<MqttSource> mqtt) {

        /** A file or HTTP input. */
        public InputConfig(SourceKind source, Optional<FileSource> file, Optional<HttpSource> http, Duration maxAge) {
            this(source, file, http, maxAge, Optional.empty());
        }

        public InputConfig {
            if (source == SourceKind.FILE && file.isEmpty()) {
                throw new IllegalArgumentException("file: required with source: file");
            }
            if (source == SourceKind.HTTP && http.isEmpty()) {
                throw new IllegalArgumentException("http: required with source: http");
            }
            if (source != SourceKind.FILE && file.isPresent()) {
                throw new IllegalArgumentException(
                        "file: set, yet source is " + source.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (source != SourceKind.HTTP && http.isPresent()) {
                throw new IllegalArgumentException(
                        "http: set, yet source is " + source.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (source == SourceKind.MQTT && mqtt.isEmpty()) {
                throw new IllegalArgumentException("mqtt: required with source: mqtt (mqtt: {} takes the defaults)");
            }
            if (source != SourceKind.MQTT && mqtt.isPresent()) {
                throw new IllegalArgumentException(
                        "mqtt: set, yet source is " + source.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    /**
     * Prices published on the controller's MQTT endpoint, on {@code headroom/v1/<site>/market/<input>}
     * (e.g. {@code market/energy-rt}), by a principal with the {@code price} role; the payload is
     * {@code {"time": "2026-12-01T10:00:00Z", "value": 42.5}} ({@link MqttPricePayload}).
     *
     * @param maxAhead how far past the controller's clock a point may be dated (clock skew; a
     *     day-ahead price published a day early needs a day or more); later points are dropped
     * @param minValue smaller values are dropped as out of range
     * @param maxValue larger values are dropped as out of range
     * @param maxPayload larger payloads are dropped
     * @param maxPerMinute more points than this in a minute are dropped (a flood)
     */
    @Doc("Prices published on the controller's MQTT endpoint on headroom/v1/<site>/market/<input> by a price"
            + " principal, as {\"time\": ..., \"value\": ...}.")
    public record MqttSource(
            @Doc("How far past the controller's clock a price may be dated; day-ahead prices need a day or more.")
            @Default("1m")
            @Range(min = "0s", max = "7d")
            Duration maxAhead,

            @Doc("Smaller values are dropped as out of range.")
            Optional<Double> minValue,

            @Doc("Larger values are dropped as out of range.")
            Optional<Double> maxValue,

            @Doc("Larger payloads are dropped and counted.") @Default("1KiB") @Range(min = "64B", max = "64KiB")
            DataSize maxPayload,

            @Doc("More prices than this in one minute are dropped and counted (a flood).")
            @Default("60")
            @Range(min = "1", max = "6000")
            int maxPerMinute) {

        public MqttSource {
            Objects.requireNonNull(maxAhead, "maxAhead");
            Objects.requireNonNull(maxPayload, "maxPayload");
            if (minValue.isPresent() && !Double.isFinite(minValue.get())) {
                throw new IllegalArgumentException("min-value: " + minValue.get() + " is not a finite number");
            }
            if (maxValue.isPresent() && !Double.isFinite(maxValue.get())) {
                throw new IllegalArgumentException("max-value: " + maxValue.get() + " is not a finite number");
            }
            if (minValue.isPresent() && maxValue.isPresent() && minValue.get() > maxValue.get()) {
                throw new IllegalArgumentException(
                        "min-value: " + minValue.get() + " is above max-value " + maxValue.get());
            }
        }

        /** The defaults: 1 minute ahead, any finite value, 1 KiB, 60 a minute. */
        public static MqttSource defaults() {
            return new MqttSource(
                    Duration.ofMinutes(1), Optional.empty(), Optional.empty(), DataSize.ofBytes(1024), 60);
        }
    }

    /** How a price file is written. */
    public enum FileFormat {
        CSV,
        JSON
    }

    /**
     * A price file: CSV with a header row, or a JSON array of objects.
     *
     * @param path the file; relative to controller.yaml's directory
     * @param format csv or json; by default from the file's extension
     * @param timeField the time column or field: ISO-8601 (with offset or Z) or epoch seconds
     * @param valueField the value column or field
     */
    @Doc("A price file: CSV with a header row, or a JSON array of objects.")
    public record FileSource(
            @Doc("The file; relative to this file's directory.")
            Path path,

            @Doc("csv or json; by default from the file's extension.")
            Optional<FileFormat> format,

            @Doc("The time column (CSV) or field (JSON): ISO-8601 with offset, or epoch seconds.") @Default("time")
            String timeField,

            @Doc("The value column (CSV) or field (JSON).") @Default("value")
            String valueField) {

        public FileSource {
            if (timeField.isBlank()) {
                throw new IllegalArgumentException("time-field: must not be blank");
            }
            if (valueField.isBlank()) {
                throw new IllegalArgumentException("value-field: must not be blank");
            }
            if (format.isEmpty() && formatOf(path).isEmpty()) {
                throw new IllegalArgumentException(
                        "format: " + path.getFileName() + " ends in neither .csv nor .json; say format: csv or json");
            }
        }

        /** The format, said or from the extension. */
        public FileFormat effectiveFormat() {
            return format.or(() -> formatOf(path)).orElseThrow();
        }

        private static Optional<FileFormat> formatOf(Path path) {
            String name = String.valueOf(path.getFileName()).toLowerCase(java.util.Locale.ROOT);
            return name.endsWith(".csv")
                    ? Optional.of(FileFormat.CSV)
                    : name.endsWith(".json") ? Optional.of(FileFormat.JSON) : Optional.empty();
        }
    }

    /**
     * An HTTP JSON endpoint.
     *
     * @param url what to GET
     * @param interval how often
     * @param valuePointer JSON pointer (RFC 6901) to the price, e.g. {@code /data/0/lmp}
     * @param timePointer JSON pointer to its time; without it the reply's arrival time is used
     * @param timeout the whole exchange, body included
     * @param maxBody larger replies are dropped and counted
     */
    @Doc("An HTTP JSON endpoint polled at an interval.")
    public record HttpSource(
            @Doc("The URL to GET (http or https).") URI url,

            @Doc("How often to poll.") @Default("5m") @Range(min = "1s", max = "1d")
            Duration interval,

            @Doc("JSON pointer (RFC 6901) to the price in the reply, e.g. /data/0/lmp.")
            String valuePointer,

            @Doc("JSON pointer to the price's time (ISO-8601 or epoch seconds); without it, the reply's arrival"
                    + " time.")
            Optional<String> timePointer,

            @Doc("Longest the whole exchange may take, body included.")
            @Default("10s")
            @Range(min = "100ms", max = "5m")
            Duration timeout,

            @Doc("Larger replies are dropped and counted.") @Default("64KiB") @Range(min = "1KiB", max = "16MiB")
            DataSize maxBody) {

        public HttpSource {
            String scheme = String.valueOf(url.getScheme()).toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("url: " + url + " is not an http or https URL");
            }
            checkPointer("value-pointer", valuePointer);
            timePointer.ifPresent(pointer -> checkPointer("time-pointer", pointer));
        }

        private static void checkPointer(String key, String pointer) {
            try {
                com.fasterxml.jackson.core.JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        key + ": '" + pointer + "' is not a JSON pointer (like /data/0/lmp)");
            }
        }
    }

    /**
     * What a stale or missing price means.
     *
     * @param policy curtail every strikeable model, or assume a price
     * @param assumeUsdPerMwh the energy price assumed while it is stale (e.g. a contract cap); needed by
     *     assume-price
     * @param assumeHashpriceUsdPerPhDay the hashprice assumed while it is stale; without it a stale
     *     hashprice curtails every strikeable model whatever the policy
     */
    @Doc("What a stale or missing price means. There is deliberately no policy that keeps mining regardless.")
    public record Fallback(
            @Doc("curtail: strike every strikeable model; assume-price: use assume-usd-per-mwh as the energy"
                    + " price.")
            FallbackPolicy policy,

            @Doc("With assume-price: the energy price assumed while the feed is stale, USD/MWh (a contract cap).")
            Optional<Double> assumeUsdPerMwh,

            @Doc("The hashprice assumed while it is stale, USD/PH/day; without it a stale hashprice curtails.")
            Optional<Double> assumeHashpriceUsdPerPhDay) {

        public Fallback {
            if (policy == FallbackPolicy.ASSUME_PRICE && assumeUsdPerMwh.isEmpty()) {
                throw new IllegalArgumentException("assume-usd-per-mwh: required with policy: assume-price");
            }
            if (policy == FallbackPolicy.CURTAIL && assumeUsdPerMwh.isPresent()) {
                throw new IllegalArgumentException(
                        "assume-usd-per-mwh: set, yet policy is curtail; say policy: assume-price to use it");
            }
            assumeUsdPerMwh.ifPresent(price -> {
                if (!Double.isFinite(price)) {
                    throw new IllegalArgumentException("assume-usd-per-mwh: " + price + " is not a finite number");
                }
            });
            assumeHashpriceUsdPerPhDay.ifPresent(price -> {
                if (!(price >= 0) || !Double.isFinite(price)) {
                    throw new IllegalArgumentException(
                            "assume-hashprice-usd-per-ph-day: " + price + " is not a finite number >= 0");
                }
            });
        }

        public static Fallback curtail() {
            return new Fallback(FallbackPolicy.CURTAIL, Optional.empty(), Optional.empty());
        }

        public static Fallback assumePrice(double usdPerMwh) {
            return new Fallback(FallbackPolicy.ASSUME_PRICE, Optional.of(usdPerMwh), Optional.empty());
        }
    }
}
