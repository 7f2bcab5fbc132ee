package io.headroom.agent.driver;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.profile.FirmwareProfile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The driver factories this agent has, by name. Built once in the agent's wiring with every factory
 * listed explicitly, so that each driver can be found with grep and is checked by the compiler.
 */
public final class DriverRegistry {

    private final Map<String, DriverFactory> byName;

    private DriverRegistry(Map<String, DriverFactory> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * A registry of the given factories.
     *
     * @throws IllegalArgumentException when two factories share a name
     */
    public static DriverRegistry of(DriverFactory... factories) {
        Map<String, DriverFactory> byName = new LinkedHashMap<>();
        for (DriverFactory factory : factories) {
            Objects.requireNonNull(factory, "factory");
            DriverFactory previous = byName.put(factory.name(), factory);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate driver name '" + factory.name() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return new DriverRegistry(byName);
    }

    /** Names of the registered drivers, in registration order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * Builds the driver the profile names.
     *
     * @throws IllegalArgumentException when no factory has the profile's driver name
     */
    public Driver create(DeviceConfig device, FirmwareProfile profile) {
        DriverFactory factory = byName.get(profile.driver());
        if (factory == null) {
            throw new IllegalArgumentException("device " + device.id() + ": profile " + profile.id()
                    + " needs driver '" + profile.driver() + "', which this agent does not have; known: "
                    + byName.keySet());
        }
        return factory.create(device, profile);
    }
}
