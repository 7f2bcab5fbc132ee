package io.headroom.agent.driver.redfish;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.simulator.gpu.RedfishService;
import io.headroom.simulator.gpu.SimulatedRedfishServer;
import io.headroom.simulator.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A simulated Redfish PDU or CDU on loopback HTTPS with what a device config needs to reach it (its
 * certificate as a CA file, its password in a file), shared by one test class; the drivers it made
 * are closed with it.
 */
final class RedfishTestEquipment implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final String USER = "headroom";
    static final String PASSWORD = "equipment-Pa55";
    /** Generous: no test here waits for it, and a loaded CI machine's first TLS handshake is slow. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final SimulatedRedfishServer server;
    final Path caFile;
    final Path passwordFile;
    final Path wrongPasswordFile;
    private final List<Driver> drivers = new ArrayList<>();
    private final DriverContext context = new DriverContext(
            Clock.systemUTC(), MonotonicClock.system(), new SimpleMeterRegistry(), SecretResolver.system(), Map.of());

    RedfishTestEquipment(RedfishService service, ManualClock clock, Path dir) throws IOException {
        server = SimulatedRedfishServer.start(service, clock, USER, PASSWORD);
        caFile = Files.writeString(dir.resolve("ca.pem"), server.certificatePem(), StandardCharsets.US_ASCII);
        passwordFile = Files.writeString(dir.resolve("equipment.password"), PASSWORD + "\n");
        wrongPasswordFile = Files.writeString(dir.resolve("wrong.password"), "guess\n");
    }

    RedfishSettings settings(Path password) {
        return new RedfishSettings(
                "127.0.0.1",
                server.port(),
                RedfishScheme.HTTPS,
                USER,
                new SecretRef.File(password),
                RedfishAuth.SESSION,
                Optional.of(caFile),
                Optional.empty());
    }

    /** The driver the agent builds for a device with this profile, the right password and the CA file. */
    Driver driver(String profile) {
        return driver(profile, settings(passwordFile));
    }

    Driver driver(String profile, RedfishSettings settings) {
        DeviceConfig device = new DeviceConfig(
                "rf-1",
                profile,
                RedfishDriverFactory.NAME,
                Duration.ofSeconds(10),
                TIMEOUT,
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        Driver driver = TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
        drivers.add(driver);
        return driver;
    }

    static OptionalDouble value(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .mapToDouble(Reading::value)
                .findFirst();
    }

    /** Closes the drivers made so far (their sessions deleted), keeping the server. */
    void closeDrivers() {
        drivers.forEach(Driver::close);
        drivers.clear();
        server.clearQuirks();
    }

    @Override
    public void close() {
        closeDrivers();
        context.close();
        server.close();
    }
}
