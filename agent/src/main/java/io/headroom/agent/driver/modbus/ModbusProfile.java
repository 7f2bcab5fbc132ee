package io.headroom.agent.driver.modbus;

import java.util.List;
import java.util.Objects;

/**
 * A modbus profile's driver-specific parts, compiled once per profile.
 *
 * @param points what a poll reads and what write-point writes
 * @param plan the poll's requests
 * @param match probe reads that recognise the family ({@code profile: auto}); any one rule that holds is enough
 */
public record ModbusProfile(ModbusPoints points, ReadPlan plan, List<ModbusMatch> match) {
    public ModbusProfile {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(plan, "plan");
        match = List.copyOf(match);
    }
}
