package io.headroom.controller.alert;

import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The controller's alerting: each {@link #evaluate()} reads the fleet once, sets the gauges the
 * Prometheus rules read, and runs the same conditions through the alert state machine; {@link
 * #alerts()} is what {@code GET /api/v1/alerts} serves. The controller calls {@code evaluate} every
 * {@link AlertSettings#interval()} on its scheduler. Thread-safe; reads never wait for an evaluation.
 */
public final class AlertMonitor {

    /** The counter whose growth is {@link AlertRule#JOURNAL_ERRORS} (the engine's journal write failures). */
    static final String JOURNAL_FAILURES = "headroom.engine.journal.failures";

    private final AlertSettings settings;
    private final StateStore store;
    private final Supplier<@Nullable SiteModel> model;
    private final @Nullable GridEventBook book;
    private final MeterRegistry registry;
    private final Clock clock;
    private final AlertGauges gauges;
    private final AlertEvaluator evaluator;
    private final JournalErrorWindow journalErrors;
    private @Nullable SiteModel racksModel;
    private Map<String, String> racks = Map.of();
    private volatile Alerts latest;

    /**
     * What the alerts are at one evaluation.
     *
     * @param evaluatedAt when; null before the first evaluation
     * @param firing alerts firing, critical first, then oldest first
     * @param pending conditions holding but not yet for their rule's {@code for:} duration
     * @param settings the thresholds evaluated against
     */
    public record Alerts(@Nullable Instant evaluatedAt, List<ActiveAlert> firing, int pending, AlertSettings settings) {
        public Alerts {
            firing = List.copyOf(firing);
            Objects.requireNonNull(settings, "settings");
        }
    }

    /**
     * @param model the site model the control engine holds now (limits can change), or null without one
     * @param book the grid-event book, or null without a site model
     */
    public AlertMonitor(
            AlertSettings settings,
            StateStore store,
            Supplier<@Nullable SiteModel> model,
            @Nullable GridEventBook book,
            Clock clock,
            MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.model = Objects.requireNonNull(model, "model");
        this.book = book;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.gauges = new AlertGauges(registry);
        this.evaluator = new AlertEvaluator(settings);
        this.journalErrors = new JournalErrorWindow(settings.journalErrorWindow());
        this.latest = new Alerts(null, List.of(), 0, settings);
    }

    /** One evaluation; returns what {@link #alerts()} now answers. */
    public synchronized Alerts evaluate() {
        Instant now = clock.instant();
        SiteModel site = model.get();
        if (site != racksModel) {
            racks = FleetSnapshot.racksOf(site);
            racksModel = site;
        }
        FleetSnapshot snapshot = FleetSnapshot.take(store, site, racks, book, settings.deviceHotC(), now);
        gauges.set(snapshot);
        Counter failures = registry.find(JOURNAL_FAILURES).counter();
        boolean journal = journalErrors.grew(failures == null ? 0 : failures.count(), now);
        List<ActiveAlert> firing = evaluator.update(AlertConditions.of(snapshot, settings, journal), now);
        Alerts alerts = new Alerts(now, firing, evaluator.pending(), settings);
        latest = alerts;
        return alerts;
    }

    /** The latest evaluation's alerts. */
    public Alerts alerts() {
        return latest;
    }

    public AlertSettings settings() {
        return settings;
    }
}
