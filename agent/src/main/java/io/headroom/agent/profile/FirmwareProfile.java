package io.headroom.agent.profile;

import io.headroom.protocol.Topics;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.Verb;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that is data about one firmware family: which driver speaks to it, what to read, which
 * fields map to which canonical metric, and what each control verb means. Built by
 * {@link ProfileCatalog}; immutable. The file format is documented in {@code docs/firmware-profiles.md}.
 *
 * @param id {@code <vendor>/<name>}, e.g. {@code luxor/luxos}; what {@code agent.yaml} refers to
 * @param vendor first part of the id
 * @param description one line for humans
 * @param driver name of the {@code DriverFactory} that handles this family, e.g. {@code cgminer}
 * @param kind what sort of device this is
 * @param defaultPort TCP port used when the device's config does not name one
 * @param nameplatePowerWatts power the controller assumes while no reading is available
 * @param identify how a reply tells that a device runs this firmware
 * @param reads the driver's read commands for one poll, in order
 * @param boardStats the name of a driver-coded decoder for per-board fields ({@code antminer}),
 *     or empty for none
 * @param fields plain JSON-path mappings; they win over the decoder for the same metric and instance
 * @param session how a write session is opened and closed, when writes need one
 * @param controls what each supported verb sends; a verb not here is unsupported
 */
public record FirmwareProfile(
        String id,
        String vendor,
        String description,
        String driver,
        DeviceKind kind,
        int defaultPort,
        double nameplatePowerWatts,
        Identify identify,
        List<String> reads,
        String boardStats,
        List<FieldMapping> fields,
        Optional<SessionSpec> session,
        Map<Verb, ControlMapping> controls) {

    public FirmwareProfile {
        Objects.requireNonNull(id, "id");
        int slash = id.indexOf('/');
        if (slash <= 0 || slash != id.lastIndexOf('/') || Topics.idProblem(id.substring(0, slash)) != null
                || Topics.idProblem(id.substring(slash + 1)) != null) {
            throw new IllegalArgumentException("id: '" + id + "' must be <vendor>/<name> with valid ids");
        }
        Objects.requireNonNull(vendor, "vendor");
        if (!id.startsWith(vendor + "/")) {
            throw new IllegalArgumentException("vendor: '" + vendor + "' must be the first part of id " + id);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(driver, "driver");
        if (driver.isBlank()) {
            throw new IllegalArgumentException("driver: must not be empty");
        }
        Objects.requireNonNull(kind, "kind");
        if (kind == DeviceKind.DEVICE_KIND_UNSPECIFIED || kind == DeviceKind.UNRECOGNIZED) {
            throw new IllegalArgumentException("kind: must be a known device kind");
        }
        if (defaultPort < 1 || defaultPort > 65_535) {
            throw new IllegalArgumentException("default-port: " + defaultPort + " is outside 1..65535");
        }
        if (!(nameplatePowerWatts > 0) || !Double.isFinite(nameplatePowerWatts)) {
            throw new IllegalArgumentException("nameplate-power-watts: must be a positive number");
        }
        Objects.requireNonNull(identify, "identify");
        reads = List.copyOf(reads);
        if (reads.isEmpty()) {
            throw new IllegalArgumentException("reads: must name at least one command");
        }
        Objects.requireNonNull(boardStats, "board-stats");
        fields = List.copyOf(fields);
        Objects.requireNonNull(session, "session");
        controls = Map.copyOf(controls);
        for (Map.Entry<Verb, ControlMapping> control : controls.entrySet()) {
            if (control.getKey() != control.getValue().verb()) {
                throw new IllegalArgumentException("controls: " + control.getKey() + " maps to a "
                        + control.getValue().verb() + " control");
            }
            String readBackMetric = control.getValue().readBack().metric();
            if (fields.stream().noneMatch(f -> f.metric().equals(readBackMetric) && f.instance().isEmpty())) {
                throw new IllegalArgumentException("controls: read-back metric '" + readBackMetric
                        + "' of " + control.getKey() + " has no field mapping");
            }
        }
    }

    /** The control for a verb, if this firmware supports it. */
    public Optional<ControlMapping> control(Verb verb) {
        return Optional.ofNullable(controls.get(verb));
    }

    /** The device-total field mapping of a metric, if there is one. */
    public Optional<FieldMapping> field(String metric) {
        return fields.stream().filter(f -> f.metric().equals(metric) && f.instance().isEmpty()).findFirst();
    }
}
