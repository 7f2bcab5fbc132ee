package io.headroom.controller.engine;

import io.headroom.controller.command.CommandRefusedException;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.command.CommandState;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.PowerTruth;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSamples;
import io.headroom.controller.site.SiteSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine against the live controller: each {@link #tick()} reads the state store, computes
 * power truth and device facts, asks the grid events for a target, lets the engine decide, writes
 * the decisions ahead to the journal, then sends them through the command service. Results come
 * back through {@link CommandService#addListener} into a queue drained at the next tick, so the
 * engine's state is only ever touched by the tick. A journal that cannot be written stops the tick
 * before anything is sent: nothing goes out that a restart would not know of.
 */
public final class EngineLoop {

    private static final Logger LOGGER = LoggerFactory.getLogger(EngineLoop.class);

    private final ControlEngine engine;
    private final DeviceLookup devices;
    private final CommandService commands;
    private final DecisionLog decisions;
    private TargetSource targets;
    private final EngineJournal journal;
    private final Clock clock;
    private final ConcurrentLinkedQueue<CommandView> results = new ConcurrentLinkedQueue<>();
    private final Timer tickTimer;
    private final Counter sent;
    private final Counter refused;
    private final Counter journalFailures;
    private EngineState state;
    /** Devices the journal names after a restart, until each has been read back. */
    private final java.util.Set<String> reconciling = new java.util.HashSet<>();

    private volatile @Nullable TickResult last;
    /** What {@link #curtailments()} answers: refreshed whenever the state may have changed, under the lock. */
    private volatile Map<String, CurtailedDevice> curtailments = Map.of();

    public EngineLoop(
            EngineState state,
            ControlEngine engine,
            DeviceLookup devices,
            CommandService commands,
            DecisionLog decisions,
            TargetSource targets,
            EngineJournal journal,
            Clock clock,
            MeterRegistry registry) {
        this.state = Objects.requireNonNull(state, "state");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tickTimer = Timer.builder("headroom.engine.tick")
                .description("One control engine tick, from reading the state to sending its commands")
                .register(registry);
        this.sent = Counter.builder("headroom.engine.actions")
                .tag("outcome", "sent")
                .description("Commands the engine decided, by outcome")
                .register(registry);
        this.refused = Counter.builder("headroom.engine.actions")
                .tag("outcome", "refused")
                .description("Commands the engine decided, by outcome")
                .register(registry);
        this.journalFailures = Counter.builder("headroom.engine.journal.failures")
                .description("Ticks that sent nothing because the journal could not be written")
                .register(registry);
        commands.addListener(results::add);
    }

    /** One tick; the controller runs it every {@link EngineSettings#interval()}. */
    public synchronized TickResult tick() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        drainResults();
        SiteModel model = state.model();
        SiteSamples samples = SiteSamples.take(model, devices);
        SiteSnapshot power = PowerTruth.compute(samples, now);
        DeviceFacts facts = DeviceFacts.gather(samples);
        reconciled(power, now);
        SiteTarget target = targets.target(now);
        TickResult result = engine.tick(power, facts, target, targets.holds(now), targets.strikes(now), state, now);
        if (!result.actions().isEmpty()) {
            send(result.actions(), now);
        }
        journalReleases();
        targets.observe(now, power, facts, state, result);
        last = result;
        publishCurtailments();
        tickTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        return result;
    }

    private void send(List<Action> actions, Instant now) {
        boolean enabled = engine.settings().enabled();
        if (enabled) {
            try {
                journal.intents(actions, state, now);
            } catch (IOException e) {
                journalFailures.increment();
                LOGGER.error("journal write failed: the tick's {} commands are not sent", actions.size(), e);
                for (Action action : actions) {
                    state.refused(action, "journal-unavailable");
                    decisions.add(new Decision(now, action, false, null, "journal unavailable: " + e.getMessage()));
                }
                return;
            }
        }
        for (Action action : actions) {
            if (!enabled) {
                state.refused(action, "engine-disabled");
                decisions.add(new Decision(now, action, false, null, "engine disabled (engine.enabled: false)"));
                continue;
            }
            try {
                CommandView view = commands.send(
                        action.targetDeviceId(),
                        action.verb(),
                        Double.isNaN(action.valueW()) ? null : action.valueW(),
                        action.instance(),
                        engine.settings().commandTtl(),
                        // A curtailment for a grid event is held by the agent until the event's end.
                        action.restore() || action.eventId() == null ? null : targets.holdUntil(action.eventId()));
                state.dispatched(action, view.commandId(), view.version());
                sent.increment();
                decisions.add(new Decision(now, action, true, view.commandId(), ""));
                journalDispatch(action, view.commandId(), view.agentId(), view.version(), now);
            } catch (CommandRefusedException e) {
                state.refused(action, e.reason().code());
                refused.increment();
                decisions.add(new Decision(now, action, false, null, String.valueOf(e.getMessage())));
                journalDispatch(action, "", "", 0, now);
            }
        }
    }

    private void journalDispatch(Action action, String commandId, String agentId, long version, Instant now) {
        try {
            journal.dispatched(action, commandId, agentId, version, now);
        } catch (IOException e) {
            // The intent is on disk already; a restart reconciles this device from its read-back.
            journalFailures.increment();
            LOGGER.warn(
                    "journal: could not record the dispatch of {} to {}",
                    action.kind().wireName(),
                    action.deviceId(),
                    e);
        }
    }

    /** From the next tick the market's strikes count and its ledger is kept ({@link MarketTargets}). */
    public synchronized void useMarket(io.headroom.controller.market.Market market) {
        targets = new MarketTargets(targets, market, journal);
    }

    /** Restores wait until these devices have been read back after a restart (or the window ends). */
    public synchronized void reconcile(java.util.Collection<String> devices) {
        reconciling.addAll(devices);
    }

    /** Ends the wait for read-back once every device the journal named reads live again. */
    private void reconciled(SiteSnapshot power, Instant now) {
        if (reconciling.isEmpty()) {
            return;
        }
        SiteModel model = state.model();
        for (var it = reconciling.iterator(); it.hasNext(); ) {
            int node = model.indexOf(io.headroom.controller.site.SiteNodeKind.DEVICE, it.next());
            if (node < 0 || power.reading(node) == io.headroom.controller.site.ReadingState.LIVE) {
                it.remove();
            }
        }
        if (reconciling.isEmpty()) {
            state.holdUntil(now.toEpochMilli());
            LOGGER.info("every device curtailed before the restart has been read back; restores may go ahead");
        }
    }

    /** Compacts the journal to what is live when it has grown past its size (a no-op without a journal file). */
    public synchronized void compactJournalIfDue() {
        if (journal instanceof EngineJournalFile file) {
            try {
                file.compactIfDue();
            } catch (IOException e) {
                journalFailures.increment();
                LOGGER.warn("journal compaction failed; the journal keeps growing until it succeeds", e);
            }
        }
    }

    private void drainResults() {
        for (CommandView view; (view = results.poll()) != null; ) {
            EngineState.CommandOutcome outcome = outcome(view.state());
            DeviceControl control = state.byCommand(view.commandId());
            if (outcome == null || control == null) {
                continue;
            }
            state.commandResult(view.commandId(), outcome, view.reason());
            if (view.state().isFinal()) {
                try {
                    journal.outcome(
                            control.deviceId,
                            view.commandId(),
                            view.state().name().toLowerCase(java.util.Locale.ROOT),
                            view.reason());
                } catch (IOException e) {
                    journalFailures.increment();
                    LOGGER.warn("journal: could not record the outcome of command {}", view.commandId(), e);
                }
            }
        }
    }

    /** Tells the journal which devices a tick gave back, and compacts it when due. */
    private void journalReleases() {
        for (String device : state.drainReleased()) {
            try {
                journal.released(device);
            } catch (IOException e) {
                journalFailures.increment();
                LOGGER.warn("journal: could not record that {} was restored", device, e);
            }
        }
    }

    private static EngineState.@Nullable CommandOutcome outcome(CommandState state) {
        return switch (state) {
            case ACCEPTED -> EngineState.CommandOutcome.ACCEPTED;
            case APPLIED -> EngineState.CommandOutcome.APPLIED;
            case FAILED, REJECTED -> EngineState.CommandOutcome.FAILED;
            case EXPIRED -> EngineState.CommandOutcome.EXPIRED;
            default -> null;
        };
    }

    /**
     * What the engine would do now if {@code target} were the active grid event, without sending
     * anything and without changing the live state.
     */
    public synchronized TickResult dryRun(@Nullable SiteTarget target) {
        return dryRun(state.model(), target);
    }

    /**
     * What the engine would do now on {@code model} (the live one with a limit changed) and with
     * {@code target}, without sending anything and without changing the live state.
     */
    public synchronized TickResult dryRun(SiteModel model, @Nullable SiteTarget target) {
        Instant now = clock.instant();
        EngineState copy = state.migrate(model);
        SiteSamples samples = SiteSamples.take(model, devices);
        SiteSnapshot power = PowerTruth.compute(samples, now);
        DeviceFacts facts = DeviceFacts.gather(samples);
        return engine.tick(power, facts, target, targets.holds(now), targets.strikes(now), copy, now);
    }

    /** What a plan is made from: the power truth, the device facts and a copy of the engine's state now. */
    public record Planning(SiteSnapshot power, DeviceFacts facts, EngineState state) {}

    /** The site now, for planning without ticking: nothing live changes. */
    public synchronized Planning planning() {
        return planningAt(clock.instant());
    }

    /** Under {@code this}: a copy of the engine's state and the site's samples at {@code now}. */
    private Planning planningAt(Instant now) {
        EngineState copy = state.migrate(state.model());
        SiteSamples samples = SiteSamples.take(copy.model(), devices);
        return new Planning(PowerTruth.compute(samples, now), DeviceFacts.gather(samples), copy);
    }

    /**
     * What the next tick would be given, for a plan that sends nothing: the site now (a copy of the
     * engine's state), the grid event's target, the reservations' holds and the market's strikes in
     * force now. Asking the targets is what every tick does first, so it changes nothing a tick would not.
     */
    public record Inputs(
            Planning planning,
            @Nullable SiteTarget target,
            List<CapacityHold> holds,
            MarketStrikes strikes,
            Instant now) {}

    /** The next tick's inputs now; see {@link Inputs}. */
    public synchronized Inputs inputs() {
        Instant now = clock.instant();
        return new Inputs(planningAt(now), targets.target(now), targets.holds(now), targets.strikes(now), now);
    }

    /** The site's load now (its power truth, commands in flight not counted), in kW. */
    public double siteLoadKw() {
        EngineState current;
        synchronized (this) {
            current = state;
        }
        return PowerTruth.compute(current.model(), devices, clock.instant()).loadKw(0);
    }

    /** The site model changed: the engine carries its state over. */
    public synchronized void reload(SiteModel model) {
        state = state.migrate(model);
        publishCurtailments();
    }

    /** The last tick's result, or null before the first. */
    public @Nullable TickResult last() {
        return last;
    }

    public synchronized EngineState state() {
        return state;
    }

    public ControlEngine engine() {
        return engine;
    }

    /** The journal or a test replaced what the engine remembers (after a restart). */
    public synchronized void restore(EngineState restored) {
        this.state = restored;
        publishCurtailments();
    }

    /**
     * The devices the engine holds curtailed as of its latest tick, by device id: an immutable map
     * read without the loop's lock, so a request over 100,000 devices never waits for a tick.
     */
    public Map<String, CurtailedDevice> curtailments() {
        return curtailments;
    }

    private void publishCurtailments() {
        Map<String, CurtailedDevice> now = new java.util.HashMap<>();
        for (DeviceControl control : state.curtailed()) {
            now.put(control.deviceId, CurtailedDevice.of(control));
        }
        curtailments = Map.copyOf(now);
    }

    /** Commands the engine has curtailed devices with, for the web page. */
    public synchronized List<DeviceControl> curtailed() {
        return new ArrayList<>(state.curtailed());
    }
}
