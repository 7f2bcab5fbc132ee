package io.headroom.agent.config;

import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigDocuments;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.FirmwareProfile;
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
    public static AgentConfig parse(String fileName, String yaml, Path baseDir, DriverRegistry drivers,
            DriverRegistry.CompiledProfiles profiles) throws ConfigException {
        ConfigNode root = ConfigDocuments.parse(fileName, yaml);
        ConfigBinder binder = new ConfigBinder(baseDir);
        Problems problems = new Problems();
        AgentFile file = binder.bind(root, AgentFile.class, problems);
        if (file == null) {
            problems.throwIfAny();
        }
        Map<String, BusConfig> buses = buses(file.buses(), root, problems);
        List<DeviceConfig> devices = devices(file, root, binder, drivers, profiles, buses, problems);
        problems.throwIfAny();
        try {
            return new AgentConfig(file.agentId(), file.site(), file.mqtt(), file.publish(), file.commands(),
                    file.metrics(), buses, devices);
        } catch (IllegalArgumentException e) {
            problems.add(root.origin(), e.getMessage());
            problems.throwIfAny();
            throw new AssertionError("unreachable");
        }
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

    private static List<DeviceConfig> devices(AgentFile file, ConfigNode root, ConfigBinder binder,
            DriverRegistry drivers, DriverRegistry.CompiledProfiles profiles, Map<String, BusConfig> buses,
            Problems problems) {
        List<ConfigNode> nodes = items(root, "devices");
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < file.devices().size(); i++) {
            DeviceEntry entry = file.devices().get(i);
            ConfigNode node = nodes.get(i);
            Integer first = firstLine.putIfAbsent(entry.id(), node.origin().line());
            if (first != null) {
                problems.add(keyOrigin(node, "id"), "duplicate id '" + entry.id() + "' (first at line " + first + ")");
            }
            Optional<FirmwareProfile> profile = profiles.catalog().find(entry.profile());
            if (profile.isEmpty() || !profiles.usable(entry.profile())) {
                problems.add(keyOrigin(node, "profile"), "unknown profile '" + entry.profile() + "'; known: "
                        + String.join(", ", profiles.byProfile().keySet()));
                continue;
            }
            String driver = profile.get().driver();
            ConfigNode block = driverBlock(entry, node, driver, drivers, problems);
            if (block == null) {
                continue;
            }
            Record settings = drivers.bindSettings(driver, block, binder, problems);
            Duration poll = entry.pollInterval().orElse(file.defaults().pollInterval());
            Duration timeout = entry.timeout().orElse(file.defaults().timeout());
            if (timeout.compareTo(poll) > 0) {
                ConfigNode.Origin at = entry.timeout().isPresent() ? keyOrigin(node, "timeout") : node.origin();
                problems.add(at, "timeout " + timeout.toMillis() + "ms must not exceed poll-interval "
                        + poll.toMillis() + "ms");
                continue;
            }
            if (settings instanceof BusDevice busDevice && !buses.containsKey(busDevice.bus())) {
                problems.add(block.origin(), "bus '" + busDevice.bus() + "' is not declared under buses; declared: "
                        + (buses.isEmpty() ? "none" : String.join(", ", buses.keySet())));
                continue;
            }
            if (settings != null) {
                devices.add(new DeviceConfig(entry.id(), entry.profile(), driver, poll, timeout, entry.credentials(),
                        settings, node.origin()));
            }
        }
        return devices;
    }

    /** The device's one driver block, or null (with a problem) when it is missing, extra or misnamed. */
    private static ConfigNode driverBlock(DeviceEntry entry, ConfigNode node, String driver, DriverRegistry drivers,
            Problems problems) {
        ConfigNode block = null;
        for (Map.Entry<String, ConfigNode> other : entry.blocks().entrySet()) {
            if (other.getKey().equals(driver)) {
                block = other.getValue();
                continue;
            }
            ConfigNode.Origin at = keyOrigin(node, other.getKey());
            if (drivers.names().contains(other.getKey())) {
                problems.add(at, "profile " + entry.profile() + " is for the " + driver + " driver, so this device's"
                        + " block is " + driver + ":, not " + other.getKey() + ":");
            } else {
                List<String> known = new ArrayList<>(List.of("id", "profile", "poll-interval", "timeout",
                        "credentials", driver));
                problems.add(at, "unknown key" + KeyHints.hint(other.getKey(), known));
            }
        }
        if (block == null) {
            problems.add(node.origin().key(driver, node.origin().line()), "required: the " + driver
                    + " driver's settings for this device (profile " + entry.profile() + ")");
            return null;
        }
        if (!(block instanceof ConfigNode.Mapping)) {
            problems.add(block.origin(), "expected a mapping, found " + block.shape());
            return null;
        }
        return block;
    }

    private static List<ConfigNode> items(ConfigNode root, String key) {
        if (root instanceof ConfigNode.Mapping mapping && mapping.entries().get(key) != null
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
