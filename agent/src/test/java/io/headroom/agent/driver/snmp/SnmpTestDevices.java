package io.headroom.agent.driver.snmp;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** SNMP devices for tests, built through the agent's driver registry with credentials from a map. */
final class SnmpTestDevices {

    private SnmpTestDevices() {}

    /** A driver context whose {@code credential:} secrets come from {@code credentials}. */
    static DriverContext context(Map<String, String> credentials) {
        return new DriverContext(
                Clock.systemUTC(),
                MonotonicClock.system(),
                new SimpleMeterRegistry(),
                ref -> {
                    if (ref instanceof SecretRef.Credential c && credentials.containsKey(c.name())) {
                        return credentials.get(c.name()).toCharArray();
                    }
                    throw new IOException("no credential " + ref);
                },
                Map.of());
    }

    static SecretRef credential(String name) {
        return new SecretRef.Credential(name);
    }

    /** A v3 block; null passphrase names for none. */
    static SnmpV3Settings v3(
            String user, SnmpAuthProtocol auth, String authRef, SnmpPrivProtocol priv, String privRef) {
        return new SnmpV3Settings(
                user,
                auth,
                Optional.ofNullable(authRef).map(SnmpTestDevices::credential),
                priv,
                Optional.ofNullable(privRef).map(SnmpTestDevices::credential),
                "");
    }

    static SnmpSettings v3Settings(int port, SnmpV3Settings v3) {
        return new SnmpSettings("127.0.0.1", port, SnmpVersion.V3, Optional.empty(), Optional.of(v3), 1);
    }

    static SnmpSettings communitySettings(int port, SnmpVersion version, String credential) {
        return new SnmpSettings("127.0.0.1", port, version, Optional.of(credential(credential)), Optional.empty(), 1);
    }

    /** A device of {@code profile} as the loader would make it from agent.yaml. */
    static Driver driver(String id, String profile, SnmpSettings settings, Duration timeout, DriverContext context) {
        DeviceConfig device = new DeviceConfig(
                id,
                profile,
                SnmpDriverFactory.NAME,
                Duration.ofSeconds(10),
                timeout,
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        return TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
    }
}
