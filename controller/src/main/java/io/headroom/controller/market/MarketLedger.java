package io.headroom.controller.market;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The hourly ledger of one site: each {@link #record} spreads a sample over the UTC hours it
 * covers. Keeps the newest {@code keepHours} hours and drops older ones, so memory is bounded
 * whatever the sample rate. Pure: time is passed in. Thread-safe.
 */
public final class MarketLedger {
    private final String site;
    private final int keepHours;
    // Guarded by this.
    private final TreeMap<Instant, LedgerHour> hours = new TreeMap<>();

    public MarketLedger(String site, int keepHours) {
        this.site = Objects.requireNonNull(site, "site");
        if (keepHours < 1) {
            throw new IllegalArgumentException("keepHours: " + keepHours + " is not >= 1");
        }
        this.keepHours = keepHours;
    }

    public String site() {
        return site;
    }

    public int keepHours() {
        return keepHours;
    }

    /**
     * Adds what the site did during {@code [from, to)}. An empty or backwards stretch adds nothing.
     * Stretches older than the kept hours are dropped.
     */
    public synchronized void record(Instant from, Instant to, LedgerSample sample) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(sample, "sample");
        Instant at = from;
        Instant earliest = to.minusNanos(1).truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(keepHours - 1L));
        if (at.isBefore(earliest)) {
            at = earliest; // a stretch longer than the ledger keeps: only its kept part can matter
        }
        while (at.isBefore(to)) {
            Instant hour = at.truncatedTo(ChronoUnit.HOURS);
            Instant end = hour.plus(Duration.ofHours(1));
            Instant until = end.isBefore(to) ? end : to;
            double seconds = Duration.between(at, until).toNanos() / 1e9;
            if (hours.isEmpty() || !hour.isBefore(oldestKept(hours.lastKey()))) {
                hours.put(hour, hours.getOrDefault(hour, LedgerHour.empty(hour)).plus(seconds, sample));
            }
            at = until;
        }
        if (!hours.isEmpty()) {
            hours.headMap(oldestKept(hours.lastKey())).clear();
        }
    }

    private Instant oldestKept(Instant newest) {
        return newest.minus(Duration.ofHours(keepHours - 1L));
    }

    /** The newest {@code count} hours recorded, oldest first. */
    public synchronized List<LedgerHour> lastHours(int count) {
        List<LedgerHour> out = new ArrayList<>(hours.values());
        return List.copyOf(out.subList(Math.max(0, out.size() - count), out.size()));
    }

    /** Every hour kept, by start. */
    public synchronized Map<Instant, LedgerHour> hours() {
        return Map.copyOf(hours);
    }

    /** The sum of {@code hours}, stamped with the first one's start. */
    public static LedgerHour total(List<LedgerHour> hours) {
        if (hours.isEmpty()) {
            return LedgerHour.empty(Instant.EPOCH);
        }
        LedgerHour sum = LedgerHour.empty(hours.get(0).hour());
        for (LedgerHour h : hours) {
            sum = new LedgerHour(
                    sum.hour(),
                    sum.recordedSeconds() + h.recordedSeconds(),
                    sum.unpricedSeconds() + h.unpricedSeconds(),
                    sum.energyKwh() + h.energyKwh(),
                    sum.hashingKwh() + h.hashingKwh(),
                    sum.energyCostUsd() + h.energyCostUsd(),
                    sum.hashRevenueUsd() + h.hashRevenueUsd(),
                    sum.aiKwh() + h.aiKwh(),
                    sum.aiRevenueUsd() + h.aiRevenueUsd(),
                    sum.curtailedKwh() + h.curtailedKwh(),
                    sum.counterfactualCostUsd() + h.counterfactualCostUsd(),
                    sum.counterfactualHashRevenueUsd() + h.counterfactualHashRevenueUsd());
        }
        return sum;
    }
}
