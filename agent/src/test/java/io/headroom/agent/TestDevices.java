package io.headroom.agent;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.driver.cgminer.CgminerProfile;
import io.headroom.agent.driver.cgminer.CgminerSettings;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretResolver;
import io.headroom.profiles.FirmwareProfile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Devices, profiles and driver contexts for tests, built through the same code the agent uses. */
public final class TestDevices {

    public static final DriverRegistry DRIVERS = BuiltInDrivers.registry();
    public static final DriverRegistry.CompiledProfiles PROFILES = BuiltInDrivers.profiles();

    private TestDevices() {}

    /** A built-in profile. */
    public static FirmwareProfile profile(String id) {
        return PROFILES.catalog().find(id).orElseThrow(() -> new AssertionError("no built-in profile " + id));
    }

    /** A built-in cgminer profile, compiled. */
    public static CgminerProfile cgminerProfile(String id) {
        return (CgminerProfile) PROFILES.compiled(id);
    }

    /** A cgminer device as the loader would make it from agent.yaml. */
    public static DeviceConfig cgminer(
            String id, String profile, String host, int port, Duration poll, Duration timeout) {
        return new DeviceConfig(
                id,
                profile,
                "cgminer",
                poll,
                timeout,
                Optional.empty(),
                new CgminerSettings(host, Optional.of(port)),
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }

    /** A context with the given clock, a private meter registry, no buses and no secrets. */
    public static DriverContext context(Clock clock) {
        SecretResolver none = ref -> {
            throw new IOException("no secrets in this test: " + ref);
        };
        return new DriverContext(clock, MonotonicClock.system(), new SimpleMeterRegistry(), none, Map.of());
    }

    /** Each device with the capabilities of a built-in profile, as the agent hands them to its executor. */
    public static Map<String, java.util.List<io.headroom.protocol.wire.Capability>> capabilities(
            String profile, String... devices) {
        Map<String, java.util.List<io.headroom.protocol.wire.Capability>> out = new java.util.LinkedHashMap<>();
        for (String device : devices) {
            out.put(
                    device,
                    profile(profile).checkedCapabilities().values().stream()
                            .map(io.headroom.profiles.Capability::toWire)
                            .toList());
        }
        return out;
    }

    /** The driver the agent would build for a device. */
    public static Driver create(DeviceConfig device, Clock clock) {
        return DRIVERS.create(device, PROFILES, context(clock));
    }

    /** The driver the agent would build for a device, in {@code context} (whose raw replies a test reads). */
    public static Driver create(DeviceConfig device, DriverContext context) {
        return DRIVERS.create(device, PROFILES, context);
    }
}
