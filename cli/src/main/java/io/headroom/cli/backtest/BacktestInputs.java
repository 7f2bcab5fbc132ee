package io.headroom.cli.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.headroom.controller.market.PriceDataException;
import io.headroom.controller.market.PriceFiles;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.PriceSeries;
import io.headroom.controller.reservation.ReservationException;
import io.headroom.controller.reservation.ReservationRequest;
import io.headroom.controller.reservation.ReservationScope;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a backtest runs on, read and checked before anything runs: the site, the energy prices, the
 * hashprice (a file, or the stated constant), the reservations, the range and the step.
 *
 * @param hashpriceConstant the hashprice used when no file was given (USD per PH/s per day), else NaN
 */
public record BacktestInputs(
        String siteName,
        SiteModel site,
        PriceSeries energy,
        PriceSeries hashprice,
        double hashpriceConstant,
        List<ReservationRequest> reservations,
        Instant from,
        Instant to,
        Duration step,
        long seed) {

    /** Hashprice when no --hashprice file is given, USD per PH/s per day (about November 2026's). */
    public static final double DEFAULT_HASHPRICE = 50.0;
    /** How old the last energy price may be at --to; the Headroom run's market treats older as stale. */
    public static final Duration PRICE_MAX_AGE = Duration.ofHours(2);
    /** The longest range one backtest runs. */
    public static final Duration MAX_RANGE = Duration.ofDays(92);
    /** The largest price or reservations file read. */
    static final long MAX_FILE_BYTES = 64L << 20;

    public BacktestInputs {
        reservations = List.copyOf(reservations);
    }

    /** Reads and checks every input; a problem is one line naming the file and what is wrong. */
    public static BacktestInputs load(
            Path sitePath,
            Path pricesPath,
            @org.jspecify.annotations.Nullable Path hashpricePath,
            @org.jspecify.annotations.Nullable Path reservationsPath,
            Instant from,
            Instant to,
            Duration step,
            long seed)
            throws BacktestException {
        if (!from.isBefore(to)) {
            throw new BacktestException("--from " + from + " must be before --to " + to);
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new BacktestException(
                    "the range " + from + " .. " + to + " is longer than " + MAX_RANGE.toDays() + " days; split it");
        }
        if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new BacktestException("--step " + step.toSeconds() + "s: must be from 1 s to 5 min");
        }
        SiteModel site;
        try {
            site = SiteLoader.load(sitePath);
        } catch (NoSuchFileException e) {
            throw new BacktestException("site file " + sitePath + ": no such file");
        } catch (IOException e) {
            throw new BacktestException("site file " + sitePath + ": " + e.getMessage());
        } catch (RuntimeException | io.headroom.config.ConfigException e) {
            throw new BacktestException("site file " + sitePath + ": " + oneLine(e.getMessage()));
        }
        PriceSeries energy = prices("prices", pricesPath);
        if (energy.at(from).isEmpty()) {
            throw new BacktestException("prices file " + pricesPath + ": no price at or before --from " + from
                    + " (first point " + energy.points().get(0).at() + ")");
        }
        Instant last = energy.points().get(energy.size() - 1).at();
        if (last.plus(PRICE_MAX_AGE).isBefore(to)) {
            throw new BacktestException("prices file " + pricesPath + ": ends at " + last + ", more than "
                    + PRICE_MAX_AGE.toHours() + " h before --to " + to + " (the market would fall back to curtailing)");
        }
        PriceSeries hashprice;
        double constant = Double.NaN;
        if (hashpricePath == null) {
            constant = DEFAULT_HASHPRICE;
            hashprice = PriceSeries.of(List.of(new PricePoint(from, DEFAULT_HASHPRICE)));
        } else {
            hashprice = prices("hashprice", hashpricePath);
            if (hashprice.at(from).isEmpty()) {
                throw new BacktestException(
                        "hashprice file " + hashpricePath + ": no value at or before --from " + from);
            }
        }
        List<ReservationRequest> reservations =
                reservationsPath == null ? List.of() : reservations(reservationsPath, site, from);
        return new BacktestInputs(
                sitePath.getFileName().toString(),
                site,
                energy,
                hashprice,
                constant,
                reservations,
                from,
                to,
                step,
                seed);
    }

    private static PriceSeries prices(String what, Path path) throws BacktestException {
        PriceSeries series;
        try {
            if (!Files.isRegularFile(path)) {
                throw new BacktestException(what + " file " + path + ": no such file");
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new BacktestException(what + " file " + path + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            String text = Files.readString(path);
            series = PriceFiles.csv(path.toString(), text, "time", "value");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BacktestException(what + " file " + path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new BacktestException(what + " file " + path + ": " + e.getMessage());
        } catch (PriceDataException | RuntimeException e) {
            throw new BacktestException(what + " file " + oneLine(e.getMessage()));
        }
        if (series.isEmpty()) {
            throw new BacktestException(what + " file " + path + ": no rows");
        }
        return series;
    }

    /**
     * A YAML (or JSON) list of reservations in the API's form ({@code kw}, {@code scope: {kind, id}},
     * {@code start}, {@code end}, {@code lead_seconds}, {@code priority}, {@code reference}); each scope
     * must be a node of the site.
     */
    static List<ReservationRequest> reservations(Path path, SiteModel site, Instant from) throws BacktestException {
        JsonNode root;
        try {
            if (!Files.isRegularFile(path)) {
                throw new BacktestException("reservations file " + path + ": no such file");
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new BacktestException("reservations file " + path + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BacktestException("reservations file " + path + ": " + oneLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        JsonNode list = root.isObject() && root.has("reservations") ? root.get("reservations") : root;
        if (!list.isArray()) {
            throw new BacktestException("reservations file " + path + ": expected a list of reservations");
        }
        List<ReservationRequest> requests = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "reservations file " + path + ": reservation " + (i + 1);
            ReservationRequest request;
            try {
                request = ReservationRequest.fromJson(list.get(i), from);
            } catch (ReservationException e) {
                throw new BacktestException(where + ": " + String.join("; ", e.problems()));
            } catch (RuntimeException e) {
                throw new BacktestException(where + ": " + oneLine(e.getMessage()));
            }
            if (!inSite(site, request.scope())) {
                throw new BacktestException(where + ": the site has no "
                        + request.scope().kindName() + " '" + request.scope().id() + "'");
            }
            requests.add(request);
        }
        return requests;
    }

    private static boolean inSite(SiteModel site, ReservationScope scope) {
        SiteNodeKind kind = scope.kind();
        if (kind == null) {
            return site.zones().stream().anyMatch(z -> z.id().equals(scope.id()));
        }
        if (kind == SiteNodeKind.SITE) {
            return site.id(0).equals(scope.id());
        }
        return site.indexOf(kind, scope.id()) >= 0;
    }

    /** The hashprice at {@code t}. */
    double hashpriceAt(Instant t) {
        Optional<PricePoint> point = hashprice.at(t);
        return point.map(PricePoint::value).orElse(Double.NaN);
    }

    static String oneLine(@org.jspecify.annotations.Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.replace('\n', ' ').replace('\r', ' ').strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
