package io.headroom.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.engine.ControlEngine;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.engine.EngineCapacity;
import io.headroom.controller.engine.EngineDryRun;
import io.headroom.controller.engine.EngineJournalFile;
import io.headroom.controller.engine.EngineLoop;
import io.headroom.controller.engine.EngineRecovery;
import io.headroom.controller.engine.GridTargets;
import io.headroom.controller.engine.SiteTargets;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventRecord;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.grid.GridSchedule;
import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.grid.signal.GridSignalState;
import io.headroom.controller.grid.signal.SignalEvents;
import io.headroom.controller.journal.Journal;
import io.headroom.controller.journal.JournalRecord;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that controls a site, put together at start-up: the journal (replayed first), the
 * grid-event book restored from it, the engine's state recovered from it and its in-flight commands
 * handed back to the command service, the engine loop, and the site's grid schedule. Nothing is
 * sent before the journal has been read.
 */
final class SiteControl implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(SiteControl.class);

    private final Journal journal;
    private final GridEventBook book;
    private final ReservationBook reservations;
    private final EngineLoop loop;
    private final GridSchedule schedule;
    private final Clock clock;
    private final io.headroom.controller.market.MarketState marketState;
    private volatile @org.jspecify.annotations.Nullable SignalEvents signalEvents;

    private SiteControl(
            Journal journal,
            GridEventBook book,
            ReservationBook reservations,
            EngineLoop loop,
            GridSchedule schedule,
            Clock clock,
            io.headroom.controller.market.MarketState marketState) {
        this.journal = journal;
        this.marketState = marketState;
        this.book = book;
        this.reservations = reservations;
        this.loop = loop;
        this.schedule = schedule;
        this.clock = clock;
    }

    static SiteControl start(
            ControllerConfig config,
            SiteModel model,
            StateStore store,
            CommandService commands,
            DecisionLog decisions,
            Clock clock,
            MeterRegistry registry)
            throws IOException {
        Journal journal = Journal.open(config.journal().dirUnder(config.dataDir()), config.journal(), clock, registry);
        try {
            List<JournalRecord> replayed = journal.replayed();
            EngineJournalFile engineJournal =
                    new EngineJournalFile(journal, replayed, config.engine().commandTtl());
            ObjectMapper mapper = new ObjectMapper();
            List<GridEventRecord> events = new ArrayList<>();
            for (JournalRecord record : replayed) {
                if (record.type().equals(EngineJournalFile.GRID_EVENT)) {
                    try {
                        events.add(GridEventRecord.fromJson(record.body()));
                    } catch (RuntimeException e) {
                        LOGGER.error(
                                "journal: grid event record {} could not be read ({}); skipped",
                                record.seq(),
                                e.toString());
                    }
                }
            }
            GridEventBook book = GridEventBook.restore(
                    events,
                    record -> {
                        try {
                            engineJournal.gridEvent(record.toJson(mapper), clock.instant());
                        } catch (IOException e) {
                            LOGGER.error("journal: grid event {} could not be recorded", record.id(), e);
                        }
                    },
                    registry);
            java.util.concurrent.atomic.AtomicReference<EngineLoop> loopRef =
                    new java.util.concurrent.atomic.AtomicReference<>();
            ReservationBook reservations = ReservationBook.restore(
                    replayedReservations(replayed),
                    new EngineCapacity(() -> loopRef.get().planning(), config.engine()),
                    record -> {
                        try {
                            engineJournal.reservation(record, clock.instant());
                        } catch (IOException e) {
                            LOGGER.error("journal: reservation {} could not be recorded", record.path("id"), e);
                        }
                    },
                    registry);
            Instant now = clock.instant();
            EngineRecovery.Recovered recovered = EngineRecovery.replay(model, replayed, now, model.staleAfter());
            for (EngineRecovery.SentCommand sent : recovered.commands()) {
                commands.adopt(
                        sent.commandId(),
                        sent.deviceId(),
                        sent.agentId(),
                        sent.verb(),
                        sent.value(),
                        sent.instance(),
                        sent.version(),
                        sent.issuedAt(),
                        sent.ttl());
            }
            EngineLoop loop = new EngineLoop(
                    recovered.state(),
                    new ControlEngine(config.engine()),
                    DeviceLookup.of(store),
                    commands,
                    decisions,
                    new SiteTargets(new GridTargets(book), reservations),
                    engineJournal,
                    clock,
                    registry);
            loopRef.set(loop);
            loop.reconcile(recovered.devices());
            LOGGER.info(
                    "journal {}: {} records replayed, {} grid events, {} devices held by the engine",
                    journal.dir(),
                    replayed.size(),
                    events.size(),
                    recovered.devices().size());
            SiteControl control = new SiteControl(
                    journal,
                    book,
                    reservations,
                    loop,
                    new GridSchedule(model.file().gridSchedule()),
                    clock,
                    EngineJournalFile.marketState(replayed));
            control.submitSchedule();
            return control;
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** Submits the schedule's windows of the next day (idempotent: run it every minute). */
    void submitSchedule() {
        SignalEvents events = signalEvents;
        if (events != null) {
            // A signal gone stale may tighten its event (fail-safe percent), never lift it.
            events.check();
        }
        int submitted = schedule.submitDue(book, clock.instant());
        if (submitted > 0) {
            LOGGER.info("grid schedule: {} windows submitted or updated", submitted);
        }
    }

    EngineLoop loop() {
        return loop;
    }

    GridEventBook book() {
        return book;
    }

    /**
     * The MQTT endpoint's receiver of grid signals, each turned into the book's signal event on
     * {@code engineThread} (never on the event loop that received it); null
     * when {@code grid-signal} is absent or not enabled.
     */
    @org.jspecify.annotations.Nullable
    GridSignalReceiver gridSignals(
            Optional<ControllerConfig.GridSignalConfig> config,
            MeterRegistry registry,
            java.util.concurrent.Executor engineThread) {
        if (config.isEmpty() || !config.get().enabled()) {
            return null;
        }
        GridSignalState state = new GridSignalState(config.get().policy());
        SignalEvents events = new SignalEvents(book, state, clock);
        signalEvents = events;
        // The receiver runs on an MQTT event loop; the book journals (fsync) what changes: hand it over.
        return new GridSignalReceiver(
                state, status -> engineThread.execute(() -> events.signal(status)), registry, clock, System::nanoTime);
    }

    ReservationBook reservations() {
        return reservations;
    }

    /** The reservations' journal records, each readable; one that is not is logged and skipped. */
    private static List<com.fasterxml.jackson.databind.JsonNode> replayedReservations(List<JournalRecord> replayed) {
        List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
        for (JournalRecord record : replayed) {
            if (record.type().equals(EngineJournalFile.RESERVATION)) {
                if (record.body().hasNonNull("id") && record.body().hasNonNull("state")) {
                    records.add(record.body());
                } else {
                    LOGGER.error("journal: reservation record {} has no id or state; skipped", record.seq());
                }
            }
        }
        return records;
    }

    /** The market's strike state the journal last recorded, for the market to resume from. */
    io.headroom.controller.market.MarketState marketState() {
        return marketState;
    }

    GridEvents gridEvents() {
        return GridEvents.of(book, new EngineDryRun(loop));
    }

    /** One engine tick, then compaction of the journal when it has grown past its size. */
    void tick() {
        loop.tick();
        loop.compactJournalIfDue();
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
