package io.headroom.cli;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigDocuments;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.ConfigProblem;
import io.headroom.config.Problems;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks one device who it is and what it reads, through the agent's own drivers and built-in profiles,
 * exactly as an agent would with {@code profile: auto} (or a named profile): one poll of a driver
 * built from a driver block. Driver-agnostic: the caller gives the driver's name and its block as YAML
 * ({@code host: … port: …}), so probing a new kind of device (Modbus) needs only its block, once the
 * agent has that driver.
 *
 * <p>Secrets given on the command line are handed to the driver as {@code {credential: NAME}}
 * references resolved from memory, never written anywhere.
 */
final class DeviceProbe {

    /** Reason of an OFFLINE poll whose device answers but matches no profile (IdentifyingDriver's). */
    private static final String UNIDENTIFIED = "unidentified";
    /** Name of the in-memory credential behind the device's {@code credentials}. */
    private static final String CREDENTIALS = "probe-device-credentials";

    private DeviceProbe() {}

    /** What the probe found. */
    sealed interface Outcome {}

    /** The device runs {@code profile}; {@code poll} is the first poll with it (possibly not ONLINE). */
    record Identified(FirmwareProfile profile, PollResult poll) implements Outcome {}

    /** The device answers but none of the driver's profiles matches what it says. */
    record NoMatch(String message) implements Outcome {}

    /** Nothing useful came back: {@code reason} as the driver names it (timeout, connection-refused …). */
    record NoAnswer(String reason, String message) implements Outcome {}

    /** The probe could not even be set up: this agent has no such driver or profile, or the block is wrong. */
    record Unusable(List<String> problems) implements Outcome {}

    /**
     * Probes a device.
     *
     * @param driver  driver name ({@code snmp}, {@code modbus} …)
     * @param block   the device's driver block as YAML
     * @param profile a profile id, or {@link DeviceConfig#AUTO} to let the driver identify the device
     * @param secrets values of the {@code credential:} references the block uses, by name
     */
    static Outcome probe(String driver, String block, String profile, Duration timeout, Map<String, String> secrets)
            throws InterruptedException {
        return probe(driver, block, profile, timeout, secrets, Optional.empty());
    }

    /**
     * Probes a device that has the device's common {@code credentials} (the web password of the
     * antminer-web, braiins and vnish drivers, the write password of whatsminer).
     *
     * @param credentials that secret's value, handed to the driver from memory as the device's
     *     {@code credentials: {credential: …}}; empty for a device without
     */
    static Outcome probe(
            String driver,
            String block,
            String profile,
            Duration timeout,
            Map<String, String> secrets,
            Optional<String> credentials)
            throws InterruptedException {
        DriverRegistry registry = BuiltInDrivers.registry();
        if (registry.factory(driver).isEmpty()) {
            return new Unusable(List.of("this agent has no " + driver + " driver (it has " + registry.names() + ")"));
        }
        DriverRegistry.CompiledProfiles profiles = BuiltInDrivers.profiles();
        boolean auto = DeviceConfig.AUTO.equals(profile);
        if (auto && !registry.factory(driver).get().identifies()) {
            return new Unusable(List.of(
                    "the " + driver + " driver cannot tell which profile a device runs; name one with --profile"));
        }
        if (!auto) {
            Optional<FirmwareProfile> named = profiles.catalog().find(profile);
            if (named.isEmpty() || !profiles.usable(profile)) {
                return new Unusable(List.of("no usable built-in profile " + profile));
            }
            if (!named.get().driver().equals(driver)) {
                return new Unusable(List.of(
                        "profile " + profile + " is for the " + named.get().driver() + " driver, not " + driver));
            }
        }
        if (auto && DriverRegistry.candidates(driver, profiles).isEmpty()) {
            return new Unusable(List.of("no built-in " + driver + " profile to match against"));
        }
        Record settings;
        ConfigNode node;
        try {
            node = ConfigDocuments.parse("probe", block);
        } catch (ConfigException e) {
            return new Unusable(describe(e.problems()));
        }
        Problems problems = new Problems();
        settings =
                registry.bindSettings(driver, node, new ConfigBinder(Path.of("").toAbsolutePath()), problems);
        if (settings == null || !problems.list().isEmpty()) {
            return new Unusable(describe(problems.list()));
        }
        Map<String, String> known = new HashMap<>(secrets);
        Optional<SecretRef> credentialsRef = Optional.empty();
        if (credentials.isPresent()) {
            known.put(CREDENTIALS, credentials.get());
            credentialsRef = Optional.of(new SecretRef.Credential(CREDENTIALS));
        }
        DeviceConfig device = new DeviceConfig(
                "probe", profile, driver, timeout.multipliedBy(4), timeout, credentialsRef, settings, node.origin());
        try (DriverContext context = new DriverContext(
                Clock.systemUTC(), MonotonicClock.system(), new SimpleMeterRegistry(), new InMemory(known), Map.of())) {
            Driver created = registry.create(device, profiles, context);
            try {
                PollResult poll = created.poll();
                Optional<FirmwareProfile> found = DriverRegistry.currentProfile(device, created, profiles);
                if (found.isEmpty()) {
                    return poll.reason().equals(UNIDENTIFIED)
                            ? new NoMatch(poll.message())
                            : new NoAnswer(poll.reason(), poll.message());
                }
                if (poll.health() == DeviceHealth.DEVICE_HEALTH_OFFLINE) {
                    return new NoAnswer(poll.reason(), poll.message());
                }
                return new Identified(found.get(), poll);
            } finally {
                created.close();
            }
        } catch (RuntimeException e) {
            // A driver bug must still not end in a stack trace on an operator's terminal.
            return new NoAnswer("probe-failed", e.toString());
        }
    }

    private static List<String> describe(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).toList();
    }

    /** Credentials given on the command line; files are refused (the probe writes none). */
    private record InMemory(Map<String, String> values) implements SecretResolver {
        InMemory {
            values = Map.copyOf(values);
        }

        @Override
        public char[] resolve(SecretRef ref) throws IOException {
            Objects.requireNonNull(ref, "ref");
            if (ref instanceof SecretRef.Credential credential && values.containsKey(credential.name())) {
                return values.get(credential.name()).toCharArray();
            }
            throw new IOException("the probe was given no secret for " + ref);
        }
    }
}
