package io.headroom.agent.driver.snmp;

import java.util.List;
import java.util.Objects;

/**
 * An snmp profile's driver-specific parts, compiled once per profile.
 *
 * @param points what a poll reads and what each capability sets
 * @param match how sysObjectID and sysDescr identify the family; any rule may match
 */
public record SnmpProfile(SnmpPoints points, List<SnmpMatch> match) {
    public SnmpProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
        if (match.isEmpty()) {
            throw new IllegalArgumentException("match: an snmp profile needs at least one rule");
        }
    }

    /** True if any rule matches the device. */
    public boolean identifies(org.snmp4j.smi.OID sysObjectId, String sysDescr) {
        return match.stream().anyMatch(rule -> rule.matches(sysObjectId, sysDescr));
    }
}
