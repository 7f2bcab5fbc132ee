package io.headroom.agent.driver.braiins;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.simulator.braiins.SimulatedBraiins;
import io.headroom.simulator.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated Braiins OS miner and drivers for it, built through the agent's registry and built-in profiles. The
 * simulator's clock (model time and token lapses) is also the drivers' wall clock.
 */
final class BraiinsRig implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
    static final String PASSWORD = "bos-pw";
    static final String PROFILE = "braiins/braiins-os";
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    final ManualClock clock = new ManualClock(T0);
    final SimulatedBraiins miner;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Driver> drivers = new ArrayList<>();

    BraiinsRig() throws IOException {
        miner = new SimulatedBraiins(SimulatedBraiins.S19_XP, 7, clock, PASSWORD);
    }

    /** Resolves credential {@code web} to the password, {@code wrong} to another; others are missing. */
    static SecretResolver secrets() {
        return ref -> {
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
    }

    DriverContext context() {
        return context(clock, meters);
    }

    static DriverContext context(Clock clock, SimpleMeterRegistry meters) {
        return new DriverContext(clock, MonotonicClock.system(), meters, secrets(), Map.of());
    }

    static DeviceConfig device(int port, String credential, Duration timeout) {
        return new DeviceConfig(
                "bos-1",
                PROFILE,
                BraiinsDriverFactory.NAME,
                Duration.ofSeconds(30),
                timeout,
                credential == null ? Optional.empty() : Optional.of(new SecretRef.Credential(credential)),
                new BraiinsSettings("127.0.0.1", port, "root"),
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }

    /** A driver of the built-in profile for this rig's miner. */
    BraiinsDriver driver(String credential) {
        return (BraiinsDriver) track(
                TestDevices.DRIVERS.create(device(miner.port(), credential, TIMEOUT), TestDevices.PROFILES, context()));
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
