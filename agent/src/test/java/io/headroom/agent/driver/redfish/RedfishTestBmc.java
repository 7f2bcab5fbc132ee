package io.headroom.agent.driver.redfish;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.simulator.gpu.GpuServerModel;
import io.headroom.simulator.gpu.GpuSpec;
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
import java.util.Map;
import java.util.Optional;

/**
 * A simulated 8-GPU server's BMC on loopback HTTPS, with what a device config needs to reach it: its
 * certificate as a CA file and its password in a file, as an operator would give them.
 */
final class RedfishTestBmc implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final String CHASSIS = "HGX";
    static final String USER = "admin";
    static final String PASSWORD = "s3cret-Pa55";

    final ManualClock clock = new ManualClock(T0);
    final GpuServerModel model = new GpuServerModel(GpuSpec.hgxH100(), 42, 1.0, 25, T0);
    final SimulatedRedfishServer server;
    final Path caFile;
    final Path passwordFile;
    final Path wrongPasswordFile;
    final DriverContext context = new DriverContext(
            Clock.systemUTC(), MonotonicClock.system(), new SimpleMeterRegistry(), SecretResolver.system(), Map.of());

    RedfishTestBmc(Path dir) throws IOException {
        server = SimulatedRedfishServer.start(model, clock, CHASSIS, USER, PASSWORD);
        caFile = Files.writeString(dir.resolve("bmc-ca.pem"), server.certificatePem(), StandardCharsets.US_ASCII);
        passwordFile = Files.writeString(dir.resolve("bmc.password"), PASSWORD + "\n");
        wrongPasswordFile = Files.writeString(dir.resolve("wrong.password"), "guess\n");
    }

    /** Settings for this BMC with its CA file, session auth and the right password. */
    RedfishSettings settings() {
        return settings(RedfishAuth.SESSION, Optional.of(caFile), passwordFile, server.port());
    }

    RedfishSettings settings(RedfishAuth auth, Optional<Path> ca, Path password, int port) {
        return new RedfishSettings(
                "127.0.0.1",
                port,
                RedfishScheme.HTTPS,
                USER,
                new SecretRef.File(password),
                auth,
                ca,
                Optional.of(CHASSIS));
    }

    /** The driver the agent builds for a device with this profile and settings. */
    Driver driver(String profile, RedfishSettings settings, Duration timeout) {
        DeviceConfig device = new DeviceConfig(
                "gpu-1",
                profile,
                RedfishDriverFactory.NAME,
                Duration.ofSeconds(10),
                timeout,
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        return TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
    }

    @Override
    public void close() {
        context.close();
        server.close();
    }
}
