package io.headroom.agent.driver.cgminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code points:} section of a cgminer profile: what one poll reads and what each capability
 * sends. Checked against the profile's capabilities by {@link CgminerDriverFactory#compile}.
 *
 * @param defaultPort TCP port of the RPC when the device's config names none
 * @param reads the read commands of one poll, in order
 * @param boardStats a driver-coded decoder for per-board fields ({@code antminer}), or empty for none
 * @param fields plain JSON-path mappings; they win over the decoder for the same metric and instance
 * @param session how a write session is opened and closed, when writes need one
 * @param controls capability verb → what it sends
 * @param avalon where the Avalon status string is and how its work mode maps ({@code board-stats: avalon})
 * @param powerPresets how set-power-target picks a preset, on firmware that sets power by presets
 */
public record CgminerPoints(
        @Doc("TCP port of the RPC when the device's config names none.")
        @Default("4028")
        @Range(min = "1", max = "65535")
        int defaultPort,

        @Doc("Read commands of one poll, in order.") List<String> reads,

        @Doc("Driver-coded decoder of per-board STATS fields: antminer, or empty for none.") @Default("")
        String boardStats,

        @Doc("Plain JSON-path mappings; they win over the decoder for the same metric.")
        List<FieldMapping> fields,

        @Doc("How a write session is opened and closed, when writes need one.")
        Optional<SessionSpec> session,

        @Doc("Capability verb → what it sends.") Map<String, CgminerControl> controls,

        @Doc("Avalon status string: its read command and work modes (with board-stats: avalon).")
        Optional<AvalonPoints> avalon,

        @Doc("How set-power-target picks a power preset (Avalon work levels, LuxOS profiles).")
        Optional<PowerPresets> powerPresets) {

    /** The Antminer-style STATS board decoder. */
    public static final String ANTMINER_BOARD_STATS = "antminer";
    /** The Avalon MM ID0 status-string decoder. */
    public static final String AVALON_BOARD_STATS = "avalon";

    public CgminerPoints {
        reads = List.copyOf(reads);
        if (reads.isEmpty()) {
            throw new IllegalArgumentException("reads: must name at least one command");
        }
        if (!boardStats.isEmpty()
                && !boardStats.equals(ANTMINER_BOARD_STATS)
                && !boardStats.equals(AVALON_BOARD_STATS)) {
            throw new IllegalArgumentException("board-stats: unknown decoder '" + boardStats + "'; known: "
                    + ANTMINER_BOARD_STATS + ", " + AVALON_BOARD_STATS);
        }
        if (boardStats.equals(AVALON_BOARD_STATS) != avalon.isPresent()) {
            throw new IllegalArgumentException("avalon: required with board-stats: avalon and not allowed otherwise");
        }
        if (avalon.isPresent() && !reads.contains(avalon.get().command())) {
            throw new IllegalArgumentException(
                    "avalon: its command '" + avalon.get().command() + "' is not one of reads " + reads);
        }
        if (powerPresets.flatMap(PowerPresets::interlock).isPresent()
                && powerPresets.get().interlock().get().release().needsSession()
                && session.isEmpty()) {
            throw new IllegalArgumentException(
                    "power-presets: the interlock's release uses {session}, but there is no session section");
        }
        if (powerPresets.isPresent() && powerPresets.get().fromDevice()) {
            for (String command :
                    List.of(powerPresets.get().command(), powerPresets.get().activeCommand())) {
                if (!reads.contains(command)) {
                    throw new IllegalArgumentException("power-presets: '" + command + "' is not one of reads " + reads);
                }
            }
        }
        fields = List.copyOf(fields);
        for (FieldMapping field : fields) {
            if (!reads.contains(field.command())) {
                throw new IllegalArgumentException("fields: " + field.metric() + " is read from '" + field.command()
                        + "', which is not one of reads " + reads);
            }
        }
        controls = Map.copyOf(controls);
        for (Map.Entry<String, CgminerControl> control : controls.entrySet()) {
            if (control.getValue().needsSession() && session.isEmpty()) {
                throw new IllegalArgumentException(
                        "controls: " + control.getKey() + " uses {session}, but there is no session section");
            }
            if (control.getValue().usesPreset() && powerPresets.isEmpty()) {
                throw new IllegalArgumentException(
                        "controls: " + control.getKey() + " uses {preset}, but there is no power-presets section");
            }
            if (control.getValue().confirm().isPresent() && avalon.isEmpty()) {
                throw new IllegalArgumentException(
                        "controls: " + control.getKey() + " confirms a status key, which needs the avalon section");
            }
        }
    }

    /** True when the Avalon decoder (or a preset join) can supply the device total of this metric. */
    public boolean decodes(String metric) {
        if (avalon.isPresent() && AvalonReadings.METRICS.contains(metric)) {
            return true;
        }
        return metric.equals(io.headroom.protocol.MetricDictionary.POWER_TARGET)
                && powerPresets.map(PowerPresets::fromDevice).orElse(false);
    }

    /** The device-total field mapping of a metric, if there is one. */
    public Optional<FieldMapping> field(String metric) {
        return fields.stream()
                .filter(f -> f.metric().equals(metric) && f.instance().isEmpty())
                .findFirst();
    }
}
