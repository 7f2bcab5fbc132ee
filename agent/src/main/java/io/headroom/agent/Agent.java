package io.headroom.agent;

import io.headroom.agent.command.CommandExecutor;
import io.headroom.agent.command.HeldSetpoints;
import io.headroom.agent.command.LeaseWatch;
import io.headroom.agent.command.LocalThermal;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.publish.BirthDevice;
import io.headroom.agent.publish.MqttPublisher;
import io.headroom.agent.publish.TelemetryBuffer;
import io.headroom.agent.schedule.PollScheduler;
import io.headroom.agent.schedule.ScheduledDevice;
import io.headroom.agent.status.AgentHealth;
import io.headroom.agent.status.StatusServer;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigException;
import io.headroom.config.SecretResolver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running rack agent: polls its devices on their own deadlines, streams their readings to the
 * controller, and runs the controller's commands. {@link #close()} says goodbye and stops.
 */
public final class Agent implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final PollScheduler scheduler;
    private final MqttPublisher publisher;
    private final CommandExecutor commands;
    private final StatusServer status;
    private final DriverContext context;
    private boolean closed;

    private Agent(
            AgentConfig config,
            PollScheduler scheduler,
            MqttPublisher publisher,
            CommandExecutor commands,
            StatusServer status,
            DriverContext context) {
        this.context = context;
        this.config = config;
        this.scheduler = scheduler;
        this.publisher = publisher;
        this.commands = commands;
        this.status = status;
    }

    /**
     * Loads {@code agent.yaml} and starts.
     *
     * @throws ConfigException listing every problem of the file, each with its path and line
     */
    public static Agent start(Path configFile) throws ConfigException, IOException {
        return start(
                AgentConfigLoader.load(configFile),
                Clock.systemUTC(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * Starts polling and connecting, and serves {@code registry} with the agent's health on
     * {@code config.metrics()}; returns at once (the connection is retried with backoff).
     *
     * @throws IOException if the MQTT password file cannot be read or the metrics address bound
     */
    public static Agent start(AgentConfig config, Clock clock, PrometheusMeterRegistry registry) throws IOException {
        SecretResolver secrets = SecretResolver.system();
        byte[] password = password(secrets, config);
        DriverRegistry drivers = BuiltInDrivers.registry();
        DriverRegistry.CompiledProfiles profiles = BuiltInDrivers.profiles();
        DriverContext context = new DriverContext(clock, MonotonicClock.system(), registry, secrets, config.buses());

        List<ScheduledDevice> scheduled = new ArrayList<>();
        Map<String, DeviceFacts> facts = new LinkedHashMap<>();
        Duration longestTimeout = Duration.ZERO;
        Duration firstBirthHoldoff = Duration.ZERO;
        for (DeviceConfig device : config.devices()) {
            Driver driver = drivers.create(device, profiles, context);
            scheduled.add(new ScheduledDevice(
                    device, driver, drivers.lane(device), context.rawReplies().recorder(device.id())));
            facts.put(device.id(), new DeviceFacts(device, driver, profiles));
            longestTimeout = longestTimeout.compareTo(device.timeout()) < 0 ? device.timeout() : longestTimeout;
            // A first poll slower than one interval is a hung device: the Birth does not wait for it.
            firstBirthHoldoff =
                    firstBirthHoldoff.compareTo(device.pollInterval()) < 0 ? device.pollInterval() : firstBirthHoldoff;
        }
        Supplier<List<BirthDevice>> birthDevices =
                () -> facts.values().stream().map(DeviceFacts::birth).toList();
        Function<String, Optional<List<io.headroom.protocol.wire.Capability>>> capabilities =
                id -> Optional.ofNullable(facts.get(id)).map(DeviceFacts::capabilities);
        TelemetryBuffer telemetry = new TelemetryBuffer(
                config.devices().stream().map(DeviceConfig::id).toList());
        MqttPublisher[] publisher = new MqttPublisher[1];
        PollScheduler[] lanes = new PollScheduler[1];
        LeaseWatch lease = new LeaseWatch(
                () -> publisher[0] == null ? Optional.empty() : publisher[0].controllerStateReceipt(),
                MonotonicClock.system());
        HeldSetpoints held = new HeldSetpoints(
                capabilities,
                (device, verb, value, instance, deadline) -> lanes[0].execute(device, verb, value, instance, deadline),
                lease,
                clock,
                MonotonicClock.system(),
                config.commands().reapplyInterval(),
                config.commands().maxHold(),
                registry);
        LocalThermal thermal = new LocalThermal(
                id -> Optional.ofNullable(facts.get(id)).flatMap(DeviceFacts::thermal),
                (device, verb, value, instance, deadline) -> lanes[0].execute(device, verb, value, instance, deadline),
                lease,
                MonotonicClock.system(),
                config.commands().reapplyInterval(),
                registry);
        PollScheduler scheduler = new PollScheduler(
                scheduled,
                (device, result) -> {
                    telemetry.polled(device, result);
                    held.polled(device, result);
                    thermal.polled(device, result);
                },
                clock,
                registry);
        lanes[0] = scheduler;

        // A command's write and read-back are a few device requests, each bounded by the timeout.
        Duration grace = longestTimeout.multipliedBy(4);
        CommandExecutor commands = new CommandExecutor(
                capabilities,
                (device, verb, value, instance, deadline) -> scheduler.execute(device, verb, value, instance, deadline),
                held,
                result -> publisher[0].publishResult(result),
                config.commands().clockSkewTolerance(),
                grace,
                clock,
                System::nanoTime,
                registry,
                context.rawReplies()::last);
        StatusServer status = null;
        try {
            publisher[0] = new MqttPublisher(
                    config,
                    birthDevices,
                    telemetry,
                    password,
                    firstBirthHoldoff,
                    clock,
                    registry,
                    incoming -> commands.receive(
                            incoming.payload(), incoming.receivedNanos(), incoming.expiryIntervalSeconds()));
            MqttPublisher mqtt = publisher[0];
            // Bound before polling and connecting begin: a taken port fails the start before any
            // device is asked anything or any session is opened.
            status = StatusServer.start(config.metrics(), registry, () -> health(config, mqtt, telemetry, held));
            scheduler.start();
            mqtt.start();
        } catch (IOException | RuntimeException e) {
            if (status != null) {
                status.close();
            }
            if (publisher[0] != null) {
                publisher[0].close();
            }
            commands.close();
            scheduler.close();
            context.close();
            throw e;
        }
        logger.info(
                "agent {} of site {} started: {} devices, controller {}",
                config.agentId(),
                config.site(),
                config.devices().size(),
                config.mqtt().url());
        return new Agent(config, scheduler, publisher[0], commands, status, context);
    }

    private static AgentHealth health(
            AgentConfig config, MqttPublisher mqtt, TelemetryBuffer telemetry, HeldSetpoints held) {
        Map<String, Integer> devices = new LinkedHashMap<>();
        for (String state : List.of("online", "degraded", "offline", "pending")) {
            devices.put(state, 0);
        }
        telemetry
                .healthCounts()
                .forEach((health, count) -> devices.merge(
                        switch (health) {
                            case DEVICE_HEALTH_ONLINE -> "online";
                            case DEVICE_HEALTH_DEGRADED -> "degraded";
                            case DEVICE_HEALTH_UNSPECIFIED -> "pending";
                            default -> "offline";
                        },
                        count,
                        Integer::sum));
        return new AgentHealth(
                config.agentId(),
                config.site(),
                config.mqtt().url().toString(),
                mqtt.connected(),
                mqtt.connected() ? java.util.Optional.empty() : mqtt.connectionProblem(),
                mqtt.unackedCount(),
                mqtt.outboxSnapshot(),
                devices,
                new AgentHealth.Setpoints(
                        held.count(), held.enforced(), held.lease().status().label()));
    }

    private static byte[] password(SecretResolver secrets, AgentConfig config) throws IOException {
        char[] secret = secrets.resolve(config.mqtt().password());
        try {
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(secret));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
    }

    public AgentConfig config() {
        return config;
    }

    /** Where {@code /metrics} and {@code /health} are served (the real port when 0 was asked for). */
    public InetSocketAddress statusAddress() {
        return status.address();
    }

    /** True while connected to the MQTT endpoint. */
    public boolean connected() {
        return publisher.connected();
    }

    /** Data and results published but not yet acknowledged by the controller. */
    public int unackedCount() {
        return publisher.unackedCount();
    }

    /** This process's random, non-zero boot id: every Birth, Data and Result carries it. */
    public long bootId() {
        return publisher.bootId();
    }

    /** True when the last retained controller state says a controller is in charge. */
    public boolean controllerOnline() {
        return publisher.controllerOnline();
    }

    /**
     * The lease of the last controller state: how long its caps and sleeps are held without a newer
     * state (docs/control-safety.md).
     */
    public Duration controllerLease() {
        return publisher.controllerLease();
    }

    /** Publishes a goodbye Death, disconnects, stops polling, closes drivers. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        status.close();
        publisher.close();
        commands.close();
        scheduler.close();
        context.close();
        logger.info("agent {} stopped", config.agentId());
    }
}
