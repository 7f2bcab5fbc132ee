package io.headroom.agent.driver.vnish;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.simulator.time.ManualClock;
import io.headroom.simulator.vnish.SimulatedVnish;
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
 * A simulated Vnish miner and drivers for it, built through the agent's registry and built-in profiles. The
 * simulator's clock (model time and token lapses) is also the drivers' wall clock.
 */
final class VnishRig implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-12-02T02:00:00Z");
    static final String PASSWORD = "vnish-pw";
    static final String API_KEY = "vk-0123456789abcdef";
    static final String PROFILE = "vnish/vnish";
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    final ManualClock clock = new ManualClock(T0);
    final SimulatedVnish miner;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Driver> drivers = new ArrayList<>();

    VnishRig() throws IOException {
        miner = new SimulatedVnish(SimulatedVnish.S19_PRO, 7, clock, PASSWORD);
        miner.setApiKey(API_KEY);
    }

    /** Credential {@code web} is the password, {@code wrong} another, {@code key} the API key; others are missing. */
    static SecretResolver secrets() {
        return ref -> {
            String name = ((SecretRef.Credential) ref).name();
            switch (name) {
                case "web":
                    return PASSWORD.toCharArray();
                case "wrong":
                    return "not-the-password".toCharArray();
                case "key":
                    return API_KEY.toCharArray();
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

    static DeviceConfig device(int port, String credential, String auth, Duration timeout) {
        return new DeviceConfig(
                "vnish-1",
                PROFILE,
                VnishDriverFactory.NAME,
                Duration.ofSeconds(30),
                timeout,
                credential == null ? Optional.empty() : Optional.of(new SecretRef.Credential(credential)),
                new VnishSettings("127.0.0.1", port, auth),
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }

    /** A driver of the built-in profile for this rig's miner, logging in with a password. */
    VnishDriver driver(String credential) {
        return driver(credential, "password");
    }

    VnishDriver driver(String credential, String auth) {
        return (VnishDriver) track(TestDevices.DRIVERS.create(
                device(miner.port(), credential, auth, TIMEOUT), TestDevices.PROFILES, context()));
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
