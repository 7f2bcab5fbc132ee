package io.headroom.profiles;

import io.headroom.config.ConfigNode;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Key;
import io.headroom.protocol.DeviceKinds;
import io.headroom.protocol.Topics;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.Verb;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that is data about one device family (vendor, model range, firmware): which driver
 * speaks to it, how a device is recognised, what it is rated for, which verbs it accepts with which
 * values, and — in {@code points:} — what the driver reads and writes, in the driver's own terms.
 * Bound from a profile file after {@code extends:} is resolved; the format is documented in
 * {@code docs/firmware-profiles.md}.
 *
 * @param id {@code <vendor>/<name>}, what device configs refer to; matches the file's path
 * @param vendor first part of the id
 * @param models models this profile is written and tested for, as the devices report them
 * @param description one line for humans
 * @param driver name of the driver that speaks to this family ({@code cgminer}, {@code snmp} …)
 * @param kind what sort of device this is ({@code miner}, {@code pdu} …)
 * @param parent the profile this one extends, whose keys it inherits and overrides
 * @param isAbstract a family base: only extended, never used by a device
 * @param match how a device is recognised as this family, in the driver's own kind of rule; the
 *     first rule that matches wins
 * @param nameplate rated figures
 * @param capabilities verb name → what it takes; a verb not here is unsupported
 * @param thermal the local thermal rule the agent applies once the lease has lapsed, if any
 * @param points the driver-specific section, parsed by the driver's factory
 */
public record FirmwareProfile(
        @Doc("<vendor>/<name>; matches the file's path under profiles/.")
        String id,

        @Doc("First part of the id.") String vendor,
        @Doc("Models as the devices report them.") List<String> models,
        @Doc("One line for humans.") String description,

        @Doc("Driver that speaks to this family: cgminer, snmp, modbus, redfish …")
        String driver,

        @Doc("miner, gpu-server, pdu, meter, ups, sensor or cooling.")
        String kind,

        @Doc("Profile whose keys this one inherits and overrides.") @Key("extends")
        Optional<String> parent,

        @Doc("A family base, only extended, never used by a device.") @Key("abstract") @Default("false")
        boolean isAbstract,

        @Doc("How a device is recognised as this family, in the driver's own kind of rule.")
        List<ConfigNode> match,

        @Doc("Rated figures.") Nameplate nameplate,

        @Doc("Verb → what it takes and how it is confirmed; a verb not listed is unsupported.")
        Map<String, CapabilitySpec> capabilities,

        @Doc("Local thermal rule the agent applies on its own once the controller's lease has lapsed.")
        Optional<ThermalRule> thermal,

        @Doc("Driver-specific: what the driver reads and writes, in its own terms.")
        ConfigNode points) {

    public FirmwareProfile {
        Objects.requireNonNull(id, "id");
        int slash = id.indexOf('/');
        if (slash <= 0
                || slash != id.lastIndexOf('/')
                || Topics.idProblem(id.substring(0, slash)) != null
                || Topics.idProblem(id.substring(slash + 1)) != null) {
            throw new IllegalArgumentException("id: '" + id + "' must be <vendor>/<name>, each [a-z0-9_-]");
        }
        if (!id.startsWith(vendor + "/")) {
            throw new IllegalArgumentException("vendor: '" + vendor + "' must be the first part of id " + id);
        }
        models = List.copyOf(models);
        if (driver.isBlank()) {
            throw new IllegalArgumentException("driver: must not be empty");
        }
        DeviceKinds.parseKind(kind);
        match = List.copyOf(match);
        capabilities = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(capabilities));
        for (Map.Entry<String, CapabilitySpec> entry : capabilities.entrySet()) {
            Verb verb = Verbs.parse(entry.getKey())
                    .orElseThrow(() -> new IllegalArgumentException("capabilities: '" + entry.getKey()
                            + "' is not a verb; expected one of " + String.join(", ", Verbs.names())));
            if (Verbs.readsOnly(verb)) {
                throw new IllegalArgumentException("capabilities: " + entry.getKey()
                        + " is not a capability: every device answers it, so no profile lists it");
            }
            try {
                Capability.of(verb, entry.getValue());
            } catch (IllegalArgumentException e) {
                String cause = String.valueOf(e.getMessage());
                String message = cause.startsWith(entry.getKey()) ? cause : entry.getKey() + ": " + cause;
                throw new IllegalArgumentException("capabilities: " + message, e);
            }
        }
        Objects.requireNonNull(thermal, "thermal");
        if (thermal.isPresent() && !capabilities.containsKey(thermal.get().action())) {
            throw new IllegalArgumentException(
                    "thermal: action " + thermal.get().action() + " is not among the capabilities of " + id
                            + "; declare it or drop the rule");
        }
        Objects.requireNonNull(points, "points");
    }

    /** The device kind on the wire. */
    public DeviceKind deviceKind() {
        return DeviceKinds.parseKind(kind);
    }

    /** Every capability, checked, in file order. */
    public Map<Verb, Capability> checkedCapabilities() {
        Map<Verb, Capability> out = new EnumMap<>(Verb.class);
        capabilities.forEach((name, spec) -> {
            Verb verb = Verbs.parse(name).orElseThrow();
            out.put(verb, Capability.of(verb, spec));
        });
        return Collections.unmodifiableMap(out);
    }

    /** The capability of a verb, if this family supports it. */
    public Optional<Capability> capability(Verb verb) {
        return Optional.ofNullable(checkedCapabilities().get(verb));
    }
}
