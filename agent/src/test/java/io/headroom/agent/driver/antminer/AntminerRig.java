package io.headroom.agent.driver.antminer;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.simulator.antminer.SimulatedAntminer;
import io.headroom.simulator.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated stock Antminer and drivers for it, built through the agent's registry and built-in profiles. The
 * simulator's clock (model time and nonce lifetimes) is also the drivers' wall clock.
 */
final class AntminerRig implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
    static final String PASSWORD = "web-pw";
    static final String PROFILE = "antminer/stock-web";
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    final ManualClock clock = new ManualClock(T0);
    final SimulatedAntminer miner;
    private final List<Driver> drivers = new ArrayList<>();

    AntminerRig() throws IOException {
        miner = new SimulatedAntminer(SimulatedAntminer.S21, 7, clock, PASSWORD);
    }

    /** Resolves credential {@code web} to the password, {@code wrong} to another; others are missing. */
    DriverContext context() {
        SecretResolver secrets = ref -> {
            String name = ((SecretRef.Credential) ref).name();
            switch (name) {
                case "web":
                    return PASSWORD.toCharArray();
                case "wrong":
                    return "not-the-password".toCharArray();
                default:
                    throw new IOException("credential " + name + " not found");
            }
        };
        return new DriverContext(clock, MonotonicClock.system(), new SimpleMeterRegistry(), secrets, Map.of());
    }

    static DeviceConfig device(AntminerSettings settings, String credential, Duration timeout) {
        return new DeviceConfig(
                "am-1",
                PROFILE,
                AntminerDriverFactory.NAME,
                Duration.ofSeconds(30),
                timeout,
                credential == null ? Optional.empty() : Optional.of(new SecretRef.Credential(credential)),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }

    static AntminerSettings settings(int port, Duration writeTimeout) {
        return new AntminerSettings("127.0.0.1", port, "root", writeTimeout);
    }

    /** A driver of the built-in profile for this rig's miner. */
    AntminerDriver driver(String credential) {
        return driver(credential, Duration.ofSeconds(10));
    }

    AntminerDriver driver(String credential, Duration writeTimeout) {
        return (AntminerDriver) track(TestDevices.DRIVERS.create(
                device(settings(miner.port(), writeTimeout), credential, TIMEOUT), TestDevices.PROFILES, context()));
    }

    Driver track(Driver driver) {
        drivers.add(driver);
        return driver;
    }

    /** Advances the simulated time and the model with it. */
    void advance(Duration step) {
        clock.advance(step);
        miner.model().advanceTo(clock.instant());
    }

    @Override
    public void close() {
        drivers.forEach(Driver::close);
        miner.close();
    }
}
