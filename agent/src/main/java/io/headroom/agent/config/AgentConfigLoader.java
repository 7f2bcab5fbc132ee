package io.headroom.agent.config;

import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigDocuments;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code agent.yaml} into an {@link AgentConfig}, reporting every problem at once with its file,
 * line and key path. The common rules (types, durations, secrets, unknown keys) are those of every
 * Headroom config file ({@code docs/config.md}); the keys are in {@code docs/agent-config.md}.
 *
 * <p>Each device's driver block is bound by its driver's settings record, found through the profile
 * the device names, so a driver kind brings its own keys without this class knowing them.
 */
public final class AgentConfigLoader {

    private AgentConfigLoader() {}

    /**
     * Reads and checks a config file against the built-in drivers and profiles; relative paths resolve
     * against the file's directory.
     *
     * @throws ConfigException listing every problem found
     * @throws IOException when the file cannot be read
     */
    public static AgentConfig load(Path file) throws ConfigException, IOException {
        return load(file, BuiltInDrivers.registry(), BuiltInDrivers.profiles());
    }

    /** As {@link #load(Path)}, with the given drivers and compiled profiles. */
    public static AgentConfig load(Path file, DriverRegistry drivers, DriverRegistry.CompiledProfiles profiles)
            throws ConfigException, IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), yaml, dir == null ? Path.of("").toAbsolutePath() : dir, drivers, profiles);
    }

    /**
     * Checks and binds a config document.
     *
     * @param fileName what problems name the file by
     * @param baseDir directory relative paths resolve against
     * @throws ConfigException listing every problem found
     */
    public static AgentConfig parse(
            String fileName,
            String yaml,
            Path baseDir,
            DriverRegistry drivers,
            DriverRegistry.CompiledProfiles profiles)
            throws ConfigException {
        ConfigNode root = ConfigDocuments.parse(fileName, yaml);
        ConfigBinder binder = new ConfigBinder(baseDir);
        Problems problems = new Problems();
        if (!(root instanceof ConfigNode.Mapping mapping)) {
            problems.add(
                    root.origin(),
                    "the file must be a mapping with agent-id, site, mqtt and devices; found " + root.shape());
            problems.throwIfAny();
            throw new AssertionError("unreachable");
        }
        // Devices are bound one by one, apart from the rest, so that a problem anywhere else in the
        // file, or in one device, never hides the problems of another device.
        Map<String, ConfigNode.Entry> rest = new LinkedHashMap<>(mapping.entries());
        ConfigNode.Entry devicesEntry = rest.remove("devices");
        AgentFile file = binder.bind(new ConfigNode.Mapping(rest, mapping.origin()), AgentFile.class, problems);
        // Topic-level ids are checked on the raw nodes, so they are reported whatever else is wrong.
        problems.checkScalar(mapping, "agent-id", Topics::idProblem);
        problems.checkScalar(mapping, "site", Topics::idProblem);
        List<ConfigNode> deviceNodes = deviceNodes(mapping, devicesEntry, problems);
        Map<String, BusConfig> buses = file == null ? Map.of() : buses(file.buses(), root, problems);
        DeviceDefaults defaults = file == null ? DeviceDefaults.defaults() : file.defaults();
        List<DeviceConfig> devices =
                devices(deviceNodes, defaults, binder, drivers, profiles, buses, file != null, problems);
        problems.throwIfAny();
        try {
            return new AgentConfig(
                    file.agentId(),
                    file.site(),
                    file.mqtt(),
                    file.publish(),
                    file.outbox(),
                    file.commands(),
                    file.metrics(),
                    buses,
                    devices);
        } catch (IllegalArgumentException e) {
            problems.add(root.origin(), e.getMessage());
            problems.throwIfAny();
            throw new AssertionError("unreachable");
        }
    }

    private static List<ConfigNode> deviceNodes(ConfigNode.Mapping root, ConfigNode.Entry entry, Problems problems) {
        if (entry == null) {
            problems.add(root.origin().key("devices", root.origin().line()), "required (an empty list is fine: [])");
            return List.of();
        }
        if (entry.value() instanceof ConfigNode.Sequence sequence) {
            return sequence.items();
        }
        if (entry.value() instanceof ConfigNode.Scalar scalar && scalar.text() == null) {
            return List.of();
        }
        problems.add(
                entry.value().origin(),
                "expected a list of devices, found " + entry.value().shape());
        return List.of();
    }

    private static Map<String, BusConfig> buses(List<BusConfig> list, ConfigNode root, Problems problems) {
        Map<String, BusConfig> buses = new LinkedHashMap<>();
        List<ConfigNode> nodes = items(root, "buses");
        for (int i = 0; i < list.size(); i++) {
            BusConfig bus = list.get(i);
            if (buses.putIfAbsent(bus.id(), bus) != null) {
                problems.add(keyOrigin(nodes.get(i), "id"), "duplicate bus id '" + bus.id() + "'");
            }
        }
        return buses;
    }

    private static List<DeviceConfig> devices(
            List<ConfigNode> nodes,
            DeviceDefaults defaults,
            ConfigBinder binder,
            DriverRegistry drivers,
            DriverRegistry.CompiledProfiles profiles,
            Map<String, BusConfig> buses,
            boolean busesKnown,
            Problems problems) {
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<DeviceConfig> devices = new ArrayList<>();
        for (ConfigNode node : nodes) {
            DeviceEntry entry = binder.bind(node, DeviceEntry.class, problems);
            if (entry == null) {
                continue;
            }
            problems.checkScalar(node, "id", Topics::idProblem);
            boolean validId = Topics.idProblem(entry.id()) == null;
            Integer first = firstLine.putIfAbsent(entry.id(), node.origin().line());
            if (first != null) {
                problems.add(keyOrigin(node, "id"), "duplicate id '" + entry.id() + "' (first at line " + first + ")");
            }
            String driver;
            if (DeviceConfig.AUTO.equals(entry.profile())) {
                driver = autoDriver(entry, node, drivers, profiles, problems);
            } else {
                Optional<FirmwareProfile> profile = profiles.catalog().find(entry.profile());
                if (profile.isEmpty() || !profiles.usable(entry.profile())) {
                    problems.add(
                            keyOrigin(node, "profile"),
                            "unknown profile '" + entry.profile() + "'; known: "
                                    + String.join(", ", profiles.byProfile().keySet()) + ", or auto");
                    continue;
                }
                driver = profile.get().driver();
            }
            if (driver == null) {
                continue;
            }
            ConfigNode block = driverBlock(entry, node, driver, drivers, problems);
            if (block == null) {
                continue;
            }
            Record settings = drivers.bindSettings(driver, block, binder, problems);
            Duration poll = entry.pollInterval().orElse(defaults.pollInterval());
            Duration timeout = entry.timeout().orElse(defaults.timeout());
            if (timeout.compareTo(poll) > 0) {
                ConfigNode.Origin at = entry.timeout().isPresent() ? keyOrigin(node, "timeout") : node.origin();
                problems.add(
                        at,
                        "timeout " + timeout.toMillis() + "ms must not exceed poll-interval " + poll.toMillis() + "ms");
                continue;
            }
            if (busesKnown
                    && settings instanceof BusDevice busDevice
                    && !busDevice.bus().isEmpty()
                    && !buses.containsKey(busDevice.bus())) {
                problems.add(
                        block.origin(),
                        "bus '" + busDevice.bus() + "' is not declared under buses; declared: "
                                + (buses.isEmpty() ? "none" : String.join(", ", buses.keySet())));
                continue;
            }
            if (settings != null && validId) {
                devices.add(new DeviceConfig(
                        entry.id(),
                        entry.profile(),
                        driver,
                        poll,
                        timeout,
                        entry.credentials(),
                        settings,
                        node.origin()));
            }
        }
        return devices;
    }

    /**
     * The driver of a {@code profile: auto} device: the one whose block the device has. It must be able
     * to identify devices, and its candidate profiles must agree on the kind of device (the Birth
     * declares the kind before the device is identified).
     */
    private static String autoDriver(
            DeviceEntry entry,
            ConfigNode node,
            DriverRegistry drivers,
            DriverRegistry.CompiledProfiles profiles,
            Problems problems) {
        List<String> identifying = drivers.names().stream()
                .filter(name -> drivers.factory(name).orElseThrow().identifies())
                .toList();
        List<String> named = entry.blocks().keySet().stream()
                .filter(drivers.names()::contains)
                .toList();
        if (named.size() != 1) {
            problems.add(
                    keyOrigin(node, "profile"),
                    "auto needs exactly one driver block saying how to reach the"
                            + " device (" + String.join(":, ", identifying) + ":)"
                            + (named.isEmpty() ? "" : "; found " + String.join(", ", named)));
            return null;
        }
        String driver = named.get(0);
        if (!identifying.contains(driver)) {
            problems.add(
                    keyOrigin(node, "profile"),
                    "the " + driver + " driver cannot identify devices; name the"
                            + " profile ("
                            + String.join(
                                    ", ",
                                    DriverRegistry.candidates(driver, profiles).stream()
                                            .map(FirmwareProfile::id)
                                            .toList())
                            + ")");
            return null;
        }
        List<FirmwareProfile> candidates = DriverRegistry.candidates(driver, profiles);
        if (candidates.isEmpty()) {
            problems.add(keyOrigin(node, "profile"), "no " + driver + " profile to identify the device with");
            return null;
        }
        if (candidates.stream().map(FirmwareProfile::kind).distinct().count() > 1) {
            problems.add(
                    keyOrigin(node, "profile"),
                    "the " + driver + " profiles are for different kinds of"
                            + " device, so auto cannot tell which this is before it answers; name the profile");
            return null;
        }
        return driver;
    }

    /** The device's one driver block, or null (with a problem) when it is missing, extra or misnamed. */
    private static ConfigNode driverBlock(
            DeviceEntry entry, ConfigNode node, String driver, DriverRegistry drivers, Problems problems) {
        ConfigNode block = null;
        for (Map.Entry<String, ConfigNode> other : entry.blocks().entrySet()) {
            if (other.getKey().equals(driver)) {
                block = other.getValue();
                continue;
            }
            ConfigNode.Origin at = keyOrigin(node, other.getKey());
            if (drivers.names().contains(other.getKey())) {
                problems.add(
                        at,
                        "profile " + entry.profile() + " is for the " + driver + " driver, so this device's"
                                + " block is " + driver + ":, not " + other.getKey() + ":");
            } else {
                problems.unknownKey(
                        at,
                        other.getKey(),
                        List.of("id", "profile", "poll-interval", "timeout", "credentials", driver));
            }
        }
        if (block == null) {
            problems.add(
                    node.origin().key(driver, node.origin().line()),
                    "required: the " + driver + " driver's settings for this device (profile " + entry.profile() + ")");
            return null;
        }
        if (!(block instanceof ConfigNode.Mapping)) {
            problems.add(block.origin(), "expected a mapping, found " + block.shape());
            return null;
        }
        return block;
    }

    private static List<ConfigNode> items(ConfigNode root, String key) {
        if (root instanceof ConfigNode.Mapping mapping
                && mapping.entries().get(key) != null
                && mapping.entries().get(key).value() instanceof ConfigNode.Sequence sequence) {
            return sequence.items();
        }
        return List.of();
    }

    private static ConfigNode.Origin keyOrigin(ConfigNode node, String key) {
        if (node instanceof ConfigNode.Mapping mapping && mapping.entries().containsKey(key)) {
            return mapping.entries().get(key).keyOrigin();
        }
        return node.origin();
    }
}
