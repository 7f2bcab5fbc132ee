package io.headroom.agent.driver;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ProfileCatalog;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The driver factories this agent has, by name, and the profiles they have compiled. Built once in
 * the agent's wiring with every factory listed explicitly, so that each driver can be found with grep
 * and is checked by the compiler.
 */
public final class DriverRegistry {

    private final Map<String, DriverFactory<?, ?>> byName;

    private DriverRegistry(Map<String, DriverFactory<?, ?>> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * A registry of the given factories.
     *
     * @throws IllegalArgumentException when two factories share a name
     */
    public static DriverRegistry of(DriverFactory<?, ?>... factories) {
        Map<String, DriverFactory<?, ?>> byName = new LinkedHashMap<>();
        for (DriverFactory<?, ?> factory : factories) {
            Objects.requireNonNull(factory, "factory");
            DriverFactory<?, ?> previous = byName.put(factory.name(), factory);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate driver name '" + factory.name() + "': "
                        + previous.getClass().getName() + " and "
                        + factory.getClass().getName());
            }
        }
        return new DriverRegistry(byName);
    }

    /** Names of the registered drivers, in registration order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The factory of a driver name. */
    public Optional<DriverFactory<?, ?>> factory(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Compiles every profile of the catalogue whose driver this agent has. A profile for a driver this
     * agent does not have is left out, not refused: a device that uses it is refused instead.
     *
     * @throws ConfigException listing every problem of every profile, with file and line
     */
    public CompiledProfiles compile(ProfileCatalog catalog) throws ConfigException {
        Problems problems = new Problems();
        ConfigBinder binder = new ConfigBinder(Path.of("").toAbsolutePath());
        Map<String, Object> compiled = new LinkedHashMap<>();
        for (FirmwareProfile profile : catalog.all()) {
            DriverFactory<?, ?> factory = byName.get(profile.driver());
            if (factory == null) {
                continue;
            }
            Object result = factory.compile(profile, binder, problems);
            if (result != null) {
                compiled.put(profile.id(), result);
            }
        }
        problems.throwIfAny();
        return new CompiledProfiles(catalog, compiled);
    }

    /**
     * Binds a device's driver block with its driver's settings record.
     *
     * @return the settings, or null when there was a problem (added to {@code problems})
     */
    public Record bindSettings(String driver, ConfigNode block, ConfigBinder binder, Problems problems) {
        DriverFactory<?, ?> factory = byName.get(driver);
        if (factory == null) {
            problems.add(block.origin(), "no driver '" + driver + "' in this agent; known: " + byName.keySet());
            return null;
        }
        return binder.bind(block, factory.settingsType(), problems);
    }

    /** The lane of a configured device. */
    public String lane(DeviceConfig device) {
        return laneOf(factoryFor(device), device);
    }

    private static <S extends Record> String laneOf(DriverFactory<S, ?> factory, DeviceConfig device) {
        return factory.lane(device, factory.settingsType().cast(device.settings()));
    }

    /**
     * Builds the driver of a configured device.
     *
     * @throws IllegalArgumentException when the device's profile or driver is not known here (the
     *     config loader refuses such devices first; this is the last guard)
     */
    public Driver create(DeviceConfig device, CompiledProfiles profiles, DriverContext context) {
        if (device.isAuto()) {
            return createIdentifying(factoryFor(device), device, profiles, context);
        }
        FirmwareProfile profile = profiles.catalog()
                .find(device.profile())
                .orElseThrow(() -> new IllegalArgumentException(
                        "device " + device.id() + ": unknown profile " + device.profile()));
        return createTyped(factoryFor(device), device, profile, profiles.compiled(profile.id()), context);
    }

    /**
     * The profile a device runs as far as it is known now: its configured one, or for
     * {@code profile: auto} the one its driver has identified, if any.
     */
    public static Optional<FirmwareProfile> currentProfile(
            DeviceConfig device, Driver driver, CompiledProfiles profiles) {
        if (driver instanceof IdentifyingDriver<?, ?> identifying) {
            return identifying.profile();
        }
        return profiles.catalog().find(device.profile());
    }

    /** The usable profiles of a driver, in catalogue order: the candidates of a {@code profile: auto} device. */
    public static List<FirmwareProfile> candidates(String driver, CompiledProfiles profiles) {
        return profiles.catalog().all().stream()
                .filter(p -> p.driver().equals(driver) && profiles.usable(p.id()))
                .toList();
    }

    private static <S extends Record, P> Driver createIdentifying(
            DriverFactory<S, P> factory, DeviceConfig device, CompiledProfiles profiles, DriverContext context) {
        Map<FirmwareProfile, P> candidates = new LinkedHashMap<>();
        for (FirmwareProfile candidate : candidates(factory.name(), profiles)) {
            @SuppressWarnings("unchecked")
            P compiled = (P) profiles.compiled(candidate.id());
            candidates.put(candidate, compiled);
        }
        return new IdentifyingDriver<>(
                factory, device, factory.settingsType().cast(device.settings()), candidates, context);
    }

    private DriverFactory<?, ?> factoryFor(DeviceConfig device) {
        DriverFactory<?, ?> factory = byName.get(device.driver());
        if (factory == null) {
            throw new IllegalArgumentException("device " + device.id() + " needs driver '" + device.driver()
                    + "', which this agent does not have; known: " + byName.keySet());
        }
        return factory;
    }

    private static <S extends Record, P> Driver createTyped(
            DriverFactory<S, P> factory,
            DeviceConfig device,
            FirmwareProfile profile,
            Object compiled,
            DriverContext context) {
        if (compiled == null) {
            throw new IllegalArgumentException("device " + device.id() + ": profile " + profile.id()
                    + " was not compiled by driver " + factory.name());
        }
        @SuppressWarnings("unchecked")
        P typed = (P) compiled;
        return factory.create(device, factory.settingsType().cast(device.settings()), profile, typed, context);
    }

    /** A catalogue with each profile's compiled driver-specific form. */
    public record CompiledProfiles(ProfileCatalog catalog, Map<String, Object> byProfile) {
        public CompiledProfiles {
            byProfile = Map.copyOf(byProfile);
        }

        /** The compiled form of a profile; null when its driver is not in this agent. */
        public Object compiled(String profileId) {
            return byProfile.get(profileId);
        }

        /** True when the profile exists and this agent's driver compiled it. */
        public boolean usable(String profileId) {
            return byProfile.containsKey(profileId);
        }
    }
}
