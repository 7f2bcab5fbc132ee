package io.headroom.agent.driver.cgminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.Mode;
import java.util.Map;

/**
 * The {@code points.avalon} section of a Canaan Avalon profile ({@code board-stats: avalon}): which read
 * command carries the {@code MM ID0} status string and how its {@code WORKMODE} maps to a mode
 * (reference/DEVICES.md §4.7). A non-zero {@code SoftOFF} is always {@code sleep}.
 *
 * @param command the read command whose {@code STATS} hold the status string
 * @param workModes {@code WORKMODE} value → mode while the miner is not soft-off
 */
public record AvalonPoints(
        @Doc("Read command whose STATS hold the MM ID0 status string.") @Default("estats")
        String command,

        @Doc("WORKMODE value → mode (normal, low-power, high-power) while not soft-off.")
        Map<String, Mode> workModes) {

    public AvalonPoints {
        if (command.isBlank()) {
            throw new IllegalArgumentException("command: must name a read command");
        }
        workModes = Map.copyOf(workModes);
        if (workModes.containsValue(Mode.SLEEP)) {
            throw new IllegalArgumentException("work-modes: sleep comes from SoftOFF, not from a work mode");
        }
    }
}
