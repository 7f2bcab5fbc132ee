package io.headroom.controller;

import io.headroom.config.ConfigException;
import io.headroom.config.SecretResolver;
import io.headroom.controller.alert.AlertMonitor;
import io.headroom.controller.alert.AlertSettings;
import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.broker.BrokerTransport;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.MqttMode;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.engine.EngineLoop;
import io.headroom.controller.engine.LimitDryRun;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.history.History;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.mqtt.CredentialStore;
import io.headroom.controller.mqtt.MqttEndpoint;
import io.headroom.controller.mqtt.MqttEndpointConfig;
import io.headroom.controller.reservation.Reservations;
import io.headroom.controller.site.ClaimConflicts;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.triage.TriageRules;
import io.headroom.protocol.Topic;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.ControllerState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the embedded MQTT endpoint feeding ingest and the state store, command
 * tracking, the HTTP API, and the retained controller state that tells agents a controller is in
 * charge (re-published every lease / 3, and as offline on {@link #close()}).
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Controller.class);
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private final ControllerConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry;
    private final StateStore store;
    private final History history;
    private final Ingest ingest;
    private final CommandService commands;
    private final LatePublisher publisher;
    private final ScheduledExecutorService scheduler;
    /** The engine runs on a thread of its own: a long tick must never delay the lease heartbeat. */
    private final ScheduledExecutorService engineThread;
    /** Alert evaluation reads every device: on its own thread, it never delays the heartbeat either. */
    private final ScheduledExecutorService alertThread;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final FatalErrorHandler fatal;
    private final Topic stateTopic;
    private volatile MqttEndpoint mqtt;
    /** The broker client in {@code mqtt.mode: external}, instead of {@link #mqtt}. */
    private volatile @org.jspecify.annotations.Nullable BrokerTransport broker;

    private volatile ApiServer http;
    private final DecisionLog decisions = new DecisionLog();
    private volatile @org.jspecify.annotations.Nullable SiteControl siteControl;
    /** The economics layer, when {@code market} is configured; the engine loop feeds it. */
    private volatile @org.jspecify.annotations.Nullable Market market;

    private volatile AlertMonitor alerts;

    private Controller(ControllerConfig config, Clock clock, FatalErrorHandler fatal) {
        this.config = config;
        this.clock = clock;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.store = new StateStore();
        this.store.bindTo(registry);
        this.publisher = new LatePublisher();
        this.commands = new CommandService(config.site(), store, publisher, clock, registry);
        this.history = new History(config.history(), registry);
        this.ingest = new Ingest(
                config.site(),
                store,
                publisher,
                commands,
                clock,
                registry,
                config.ingest().clockTolerance(),
                history);
        this.stateTopic = Topics.controllerState(config.site());
        this.fatal = fatal;
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(Supervised.threads("headroom-controller-scheduler", fatal));
        this.engineThread =
                Executors.newSingleThreadScheduledExecutor(Supervised.threads("headroom-control-engine", fatal));
        this.alertThread = Executors.newSingleThreadScheduledExecutor(Supervised.threads("headroom-alerts", fatal));
    }

    /**
     * Starts everything, in order: MQTT endpoint, HTTP API, then the retained online state.
     *
     * @throws IOException if the credentials file cannot be read or an address cannot be bound
     * @throws InterruptedException if interrupted while starting
     */
    public static Controller start(ControllerConfig config, Clock clock) throws IOException, InterruptedException {
        return start(config, clock, FatalErrorHandler.EXIT);
    }

    /**
     * As {@link #start(ControllerConfig, Clock)}, with {@code fatal} called when a task or thread of
     * the controller fails with an Error (by default the process exits, to be restarted).
     */
    public static Controller start(ControllerConfig config, Clock clock, FatalErrorHandler fatal)
            throws IOException, InterruptedException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(fatal, "fatal");
        Controller controller = new Controller(config, clock, fatal);
        try {
            controller.startServices();
        } catch (IOException | InterruptedException | RuntimeException e) {
            controller.close();
            throw e;
        }
        return controller;
    }

    private void startServices() throws IOException, InterruptedException {
        Instant startedAt = clock.instant();
        ControllerConfig.Mqtt m = config.mqtt();
        boolean external = m.mode() == MqttMode.EXTERNAL;
        // On a broker the credentials are the broker's (its ACL comes from them: headroom broker-acl).
        CredentialStore credentials = external ? null : CredentialStore.load(m.credentialsFile());
        MqttEndpointConfig endpointConfig = EndpointSettings.mqtt(config.site(), m);
        // The journal is read before anything can reach an agent: site control first, then MQTT.
        Optional<SiteModel> model = siteModel();
        SiteResource siteTree = model.map(
                        site -> new SiteResource(site, DeviceLookup.of(store), ClaimConflicts.of(store), clock))
                .orElseGet(() -> SiteResource.unconfigured(clock));
        GridEvents gridEvents = GridEvents.unconfigured();
        GridSignalReceiver gridSignals = null;
        if (model.isPresent()) {
            siteControl = SiteControl.start(config, model.get(), store, commands, decisions, clock, registry);
            gridEvents = siteControl.gridEvents();
            io.headroom.controller.reservation.ReservationBook reservationBook = siteControl.reservations();
            siteTree.promised(() -> reservationBook.promisedByScope(clock.instant()));
            gridSignals = siteControl.gridSignals(config.gridSignal(), registry, engineThread);
        } else if (config.gridSignal()
                .map(ControllerConfig.GridSignalConfig::enabled)
                .orElse(false)) {
            throw new IOException("grid-signal is enabled but there is no site-model: a signal would have"
                    + " nothing to curtail; add site-model or disable grid-signal");
        }
        if (external) {
            BrokerTransport client = BrokerTransport.start(
                    m.external().orElseThrow(),
                    config.site(),
                    config.controllerId(),
                    ingest,
                    gridSignals,
                    config.market().isPresent(),
                    WireCodec.encode(state(false)),
                    SecretResolver.system(),
                    registry);
            broker = client;
            publisher.target = client;
        } else {
            try {
                mqtt = MqttEndpoint.start(
                        endpointConfig,
                        EndpointSettings.limits(m.limits()),
                        EndpointSettings.tls(m),
                        java.util.Objects.requireNonNull(credentials),
                        ingest,
                        gridSignals,
                        registry);
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            publisher.target = mqtt;
        }
        if (config.market().isPresent()) {
            Market economics = Market.open(
                    config.market().get(),
                    config.site(),
                    siteControl != null ? siteControl.marketState() : MarketState.initial());
            market = economics;
            economics.start(clock);
            // Prices published by a price principal (source: mqtt) reach the market from now on.
            var feed = economics.priceFeed(registry, clock, System::nanoTime).orElse(null);
            if (broker != null) {
                broker.usePrices(feed);
            } else {
                mqtt.usePrices(feed);
            }
            if (siteControl != null) {
                // The engine acts on the market's strikes and keeps its ledger from the next tick.
                siteControl.loop().useMarket(economics);
            }
        }
        SiteControl sited = siteControl;
        alerts = new AlertMonitor(
                AlertSettings.DEFAULTS,
                store,
                () -> sited == null ? null : sited.loop().state().model(),
                sited == null ? null : sited.book(),
                clock,
                registry);
        AlertMonitor monitor = alerts;
        ApiContext context = new ApiContext(
                config.site(),
                store,
                commands,
                registry,
                () -> !closed.get() && (external ? broker != null && broker.connected() : mqtt != null),
                ingest::connectedAgents,
                clock,
                startedAt,
                siteTree,
                decisions,
                gridEvents,
                Optional.ofNullable(siteControl).map(control -> new LimitDryRun(control.loop(), clock)),
                Optional.ofNullable(market),
                alerts::alerts,
                siteControl == null ? Reservations.unconfigured() : Reservations.of(siteControl.reservations()),
                history,
                new TriageRules(
                        () -> monitor.settings().deviceHotC(),
                        () -> sited == null ? Map.of() : sited.loop().curtailments()));
        http = ApiServer.start(EndpointSettings.api(config), context);
        publishState(true);
        long heartbeat = Math.max(1, config.lease().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(
                () -> runSafely("state heartbeat", () -> publishState(true)),
                heartbeat,
                heartbeat,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> runSafely("command expiry sweep", commands::sweep),
                SWEEP_INTERVAL_MILLIS,
                SWEEP_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> runSafely("history prune", () -> history.prune(store)), 1, 1, TimeUnit.MINUTES);
        long alertEvery = alerts.settings().interval().toMillis();
        alertThread.scheduleWithFixedDelay(
                () -> runSafely("alert evaluation", alerts::evaluate), 0, alertEvery, TimeUnit.MILLISECONDS);
        SiteControl control = siteControl;
        if (control != null) {
            long every = config.engine().interval().toMillis();
            engineThread.scheduleWithFixedDelay(
                    () -> runSafely("control engine tick", control::tick), every, every, TimeUnit.MILLISECONDS);
            engineThread.scheduleWithFixedDelay(
                    () -> runSafely("grid schedule", control::submitSchedule), 1, 1, TimeUnit.MINUTES);
            LOGGER.info(
                    "control engine {} every {} ms",
                    config.engine().enabled() ? "running" : "running without sending commands (engine.enabled: false)",
                    every);
        }
        LOGGER.info(
                "controller {} of site {} started: MQTT {}, HTTP {}",
                config.controllerId(),
                config.site(),
                external ? "via broker " + broker.url() : mqtt.localAddress(),
                http.localAddress());
    }

    /** The model named by {@code site-model}, if any. */
    private Optional<SiteModel> siteModel() throws IOException {
        if (config.siteModel().isEmpty()) {
            return Optional.empty();
        }
        Path file = config.siteModel().get();
        SiteModel model;
        try {
            model = SiteLoader.load(file);
        } catch (ConfigException e) {
            throw new IOException("site model " + file + " refused:\n" + e.getMessage(), e);
        }
        LOGGER.info("site model {}: {} nodes and devices", file, model.size());
        return Optional.of(model);
    }

    private void publishState(boolean online) {
        publisher.publish(stateTopic, WireCodec.encode(state(online)), true, 0);
    }

    private ControllerState state(boolean online) {
        return ControllerState.newBuilder()
                .setOnline(online)
                .setTimestampMs(clock.millis())
                .setControllerId(config.controllerId())
                .setLeaseMs((int) config.lease().toMillis())
                .build();
    }

    private void runSafely(String what, Runnable task) {
        Supervised.task(what, task, fatal).run();
    }

    /**
     * The MQTT endpoint's bound address.
     *
     * @throws IllegalStateException in {@code mqtt.mode: external}, where there is no endpoint
     */
    public InetSocketAddress mqttAddress() {
        if (mqtt == null) {
            throw new IllegalStateException("no MQTT endpoint: the controller is a client of an external broker");
        }
        return mqtt.localAddress();
    }

    /** The broker client, in {@code mqtt.mode: external}. */
    public Optional<BrokerTransport> broker() {
        return Optional.ofNullable(broker);
    }

    /** The HTTP API's bound address. */
    public InetSocketAddress httpAddress() {
        return http.localAddress();
    }

    public StateStore store() {
        return store;
    }

    public CommandService commands() {
        return commands;
    }

    /** The control engine's loop, when a site model is configured. */
    public Optional<EngineLoop> engine() {
        SiteControl control = siteControl;
        return control == null ? Optional.empty() : Optional.of(control.loop());
    }

    /** The grid-event book, when a site model is configured. */
    public Optional<io.headroom.controller.grid.GridEventBook> gridEvents() {
        SiteControl control = siteControl;
        return control == null ? Optional.empty() : Optional.of(control.book());
    }

    /** The economics layer, when a {@code market} section is configured. */
    public Optional<Market> market() {
        return Optional.ofNullable(market);
    }

    /** The controller's own alert evaluation. */
    public AlertMonitor alerts() {
        return alerts;
    }

    /** The reservation book, when a site model is configured. */
    public Optional<io.headroom.controller.reservation.ReservationBook> reservations() {
        SiteControl control = siteControl;
        return control == null ? Optional.empty() : Optional.of(control.reservations());
    }

    public DecisionLog decisions() {
        return decisions;
    }

    public Ingest ingest() {
        return ingest;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public ControllerConfig config() {
        return config;
    }

    /** Publishes the retained offline state, then stops HTTP and MQTT. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        alertThread.shutdownNow();
        engineThread.shutdownNow();
        try {
            // The journal closes below: let a tick in progress finish its writes first.
            engineThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mqtt != null || broker != null) {
            try {
                publishState(false);
            } catch (RuntimeException e) {
                LOGGER.warn("could not publish the offline controller state", e);
            }
        }
        if (http != null) {
            http.close();
        }
        if (mqtt != null) {
            mqtt.close();
        }
        BrokerTransport client = broker;
        if (client != null) {
            client.close();
        }
        Market economics = market;
        if (economics != null) {
            economics.close();
        }
        SiteControl control = siteControl;
        if (control != null) {
            try {
                control.close();
            } catch (IOException e) {
                LOGGER.warn("could not close the journal cleanly; the next start recovers it", e);
            }
        }
        registry.close();
        LOGGER.info("controller {} of site {} stopped", config.controllerId(), config.site());
    }
}
