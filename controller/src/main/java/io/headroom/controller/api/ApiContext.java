package io.headroom.controller.api;

import io.headroom.controller.alert.AlertMonitor;
import io.headroom.controller.alert.AlertSettings;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.engine.LimitDryRun;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.history.History;
import io.headroom.controller.market.Market;
import io.headroom.controller.reservation.Reservations;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.triage.TriageRules;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the API serves from.
 *
 * @param site shown in the page title and {@code /health}
 * @param store device state
 * @param commands command sending and tracking
 * @param registry scraped by {@code /metrics}
 * @param transportRunning whether the MQTT transport is up; {@code /health} answers 503 when not
 * @param agentsConnected agents with a live connection
 * @param clock for uptime
 * @param startedAt when the controller started
 * @param siteTree {@code GET /api/v1/site}; answers 404 when no site model is configured
 * @param decisions {@code GET /api/v1/decisions}: the control engine's recent decisions
 * @param gridEvents {@code /api/v1/grid-events}; answers 404 when there is no book
 * @param limitDryRun {@code POST /api/v1/site/dry-run}; empty without a control engine (404)
 * @param market {@code /api/v1/market}; empty without a {@code market} section (404)
 * @param alerts {@code GET /api/v1/alerts}: the controller's latest alert evaluation
 * @param reservations {@code /api/v1/reservations}; answers 404 when there is no book
 * @param history {@code GET /api/v1/devices/{id}/history}: the short-term history (D41)
 * @param triage the devices' triage flags ({@code ?flag=} and each device's {@code flags}, D46)
 */
public record ApiContext(
        String site,
        StateStore store,
        CommandService commands,
        PrometheusMeterRegistry registry,
        BooleanSupplier transportRunning,
        IntSupplier agentsConnected,
        Clock clock,
        Instant startedAt,
        SiteResource siteTree,
        DecisionLog decisions,
        GridEvents gridEvents,
        Optional<LimitDryRun> limitDryRun,
        Optional<Market> market,
        Supplier<AlertMonitor.Alerts> alerts,
        Reservations reservations,
        History history,
        TriageRules triage) {

    /** What {@code GET /api/v1/alerts} answers where nothing evaluates alerts. */
    public static final AlertMonitor.Alerts NO_ALERTS =
            new AlertMonitor.Alerts(null, List.of(), 0, AlertSettings.DEFAULTS);

    public ApiContext {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(transportRunning, "transportRunning");
        Objects.requireNonNull(agentsConnected, "agentsConnected");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(siteTree, "siteTree");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(gridEvents, "gridEvents");
        Objects.requireNonNull(limitDryRun, "limitDryRun");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(reservations, "reservations");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(triage, "triage");
    }

    /** A context whose triage knows no engine and uses the default hot threshold. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt,
            SiteResource siteTree,
            DecisionLog decisions,
            GridEvents gridEvents,
            Optional<LimitDryRun> limitDryRun,
            Optional<Market> market,
            Supplier<AlertMonitor.Alerts> alerts,
            Reservations reservations,
            History history) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                siteTree,
                decisions,
                gridEvents,
                limitDryRun,
                market,
                alerts,
                reservations,
                history,
                TriageRules.standalone());
    }

    /** A context without a short-term history: every series is empty. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt,
            SiteResource siteTree,
            DecisionLog decisions,
            GridEvents gridEvents,
            Optional<LimitDryRun> limitDryRun,
            Optional<Market> market,
            Supplier<AlertMonitor.Alerts> alerts,
            Reservations reservations) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                siteTree,
                decisions,
                gridEvents,
                limitDryRun,
                market,
                alerts,
                reservations,
                History.off());
    }

    /** A context without reservations. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt,
            SiteResource siteTree,
            DecisionLog decisions,
            GridEvents gridEvents,
            Optional<LimitDryRun> limitDryRun,
            Optional<Market> market,
            Supplier<AlertMonitor.Alerts> alerts) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                siteTree,
                decisions,
                gridEvents,
                limitDryRun,
                market,
                alerts,
                Reservations.unconfigured());
    }

    /** A context without a market, alert evaluation or reservations. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt,
            SiteResource siteTree,
            DecisionLog decisions,
            GridEvents gridEvents,
            Optional<LimitDryRun> limitDryRun) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                siteTree,
                decisions,
                gridEvents,
                limitDryRun,
                Optional.empty(),
                () -> NO_ALERTS,
                Reservations.unconfigured());
    }

    /** A context without a limit dry run. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt,
            SiteResource siteTree,
            DecisionLog decisions,
            GridEvents gridEvents) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                siteTree,
                decisions,
                gridEvents,
                Optional.empty());
    }

    /** A context without a control engine: no decisions, and {@code /api/v1/grid-events} answers 404. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt,
            SiteResource siteTree) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                siteTree,
                new DecisionLog(),
                GridEvents.unconfigured());
    }

    /** A context without a site model: {@code GET /api/v1/site} answers 404. */
    public ApiContext(
            String site,
            StateStore store,
            CommandService commands,
            PrometheusMeterRegistry registry,
            BooleanSupplier transportRunning,
            IntSupplier agentsConnected,
            Clock clock,
            Instant startedAt) {
        this(
                site,
                store,
                commands,
                registry,
                transportRunning,
                agentsConnected,
                clock,
                startedAt,
                SiteResource.unconfigured(clock),
                new DecisionLog(),
                GridEvents.unconfigured());
    }
}
