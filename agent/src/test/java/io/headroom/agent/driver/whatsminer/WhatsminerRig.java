package io.headroom.agent.driver.whatsminer;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.profiles.ProfileCatalog;
import io.headroom.simulator.time.ManualClock;
import io.headroom.simulator.whatsminer.SimulatedWhatsminer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated Whatsminer and drivers for it, built through the agent's registry and built-in profiles. The
 * simulator's clock is also the drivers' wall clock (v3 tokens carry it).
 */
final class WhatsminerRig implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-03-18T22:00:00Z");
    static final String V2_PASSWORD = "admin-pw";
    static final String V3_PASSWORD = "super-pw";
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    final ManualClock clock = new ManualClock(T0);
    final SimulatedWhatsminer miner;
    private final List<Driver> drivers = new ArrayList<>();

    WhatsminerRig() throws IOException {
        miner = new SimulatedWhatsminer(SimulatedWhatsminer.M30S_PLUS_PLUS, 11, clock, V2_PASSWORD, V3_PASSWORD);
    }

    /** Resolves credential {@code v2} to the v2 password, {@code v3} to the v3 one, {@code wrong} to another. */
    DriverContext context() {
        SecretResolver secrets = ref -> {
            String name = ((SecretRef.Credential) ref).name();
            switch (name) {
                case "v2":
                    return V2_PASSWORD.toCharArray();
                case "v3":
                    return V3_PASSWORD.toCharArray();
                case "wrong":
                    return "not-the-password".toCharArray();
                default:
                    throw new IOException("credential " + name + " not found");
            }
        };
        return new DriverContext(clock, MonotonicClock.system(), new SimpleMeterRegistry(), secrets, Map.of());
    }

    static DeviceConfig device(String profile, WhatsminerSettings settings, String credential) {
        return device(profile, settings, credential, TIMEOUT);
    }

    static DeviceConfig device(String profile, WhatsminerSettings settings, String credential, Duration timeout) {
        return new DeviceConfig(
                "wm-1",
                profile,
                WhatsminerDriverFactory.NAME,
                Duration.ofSeconds(30),
                timeout,
                credential == null ? Optional.empty() : Optional.of(new SecretRef.Credential(credential)),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }

    WhatsminerSettings settings(WhatsminerApi api) {
        return new WhatsminerSettings("127.0.0.1", api, miner.v2Port(), miner.v3Port());
    }

    /** A driver of a built-in profile ({@code microbt/whatsminer-v2} or {@code -v3}, or {@code auto}). */
    WhatsminerDriver driver(String profile, String credential) {
        WhatsminerApi api = profile.endsWith("v3") ? WhatsminerApi.V3 : WhatsminerApi.V2;
        return (WhatsminerDriver) track(TestDevices.DRIVERS.create(
                device(profile, settings(api), credential), TestDevices.PROFILES, context()));
    }

    /** A v2 driver of the built-in profile with its own timeout. */
    WhatsminerDriver v2Driver(Duration timeout) {
        return (WhatsminerDriver) track(TestDevices.DRIVERS.create(
                device("microbt/whatsminer-v2", settings(WhatsminerApi.V2), "v2", timeout),
                TestDevices.PROFILES,
                context()));
    }

    /** A driver of any profile and settings. */
    Driver driver(
            String profile, WhatsminerSettings settings, String credential, DriverRegistry.CompiledProfiles profiles) {
        return track(TestDevices.DRIVERS.create(device(profile, settings, credential), profiles, context()));
    }

    Driver track(Driver driver) {
        drivers.add(driver);
        return driver;
    }

    /** The built-in v2 profile with each {@code from} replaced by its {@code to}, compiled on its own. */
    static DriverRegistry.CompiledProfiles editedV2(String... fromTo) {
        String yaml;
        try (InputStream in = WhatsminerRig.class.getResourceAsStream("/profiles/microbt/whatsminer-v2.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < fromTo.length; i += 2) {
            if (!yaml.contains(fromTo[i])) {
                throw new AssertionError("profile text has no '" + fromTo[i] + "'");
            }
            yaml = yaml.replace(fromTo[i], fromTo[i + 1]);
        }
        try {
            return TestDevices.DRIVERS.compile(
                    ProfileCatalog.load(Map.of("profiles/microbt/whatsminer-v2.yaml", yaml)));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
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
