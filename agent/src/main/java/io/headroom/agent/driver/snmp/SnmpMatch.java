package io.headroom.agent.driver.snmp;

import io.headroom.config.Doc;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snmp4j.smi.OID;

/**
 * A {@code match:} rule of an snmp profile: the device's sysObjectID starts with {@code sys-object-id}
 * and its sysDescr contains a match of {@code sys-descr}; a condition not given holds. Datadog's and
 * LibreNMS's profiles select the same way (TELEMETRY.md §2.2–2.3).
 *
 * @param sysObjectId OID prefix of sysObjectID.0
 * @param sysDescr regular expression found in sysDescr.0
 */
public record SnmpMatch(
        @Doc("OID prefix sysObjectID.0 must start with.") Optional<String> sysObjectId,
        @Doc("Regular expression sysDescr.0 must contain.") Optional<String> sysDescr) {

    public SnmpMatch {
        if (sysObjectId.isEmpty() && sysDescr.isEmpty()) {
            throw new IllegalArgumentException("sys-object-id: a match rule needs sys-object-id, sys-descr or both");
        }
        sysObjectId.ifPresent(oid -> SnmpOids.parse(oid, "sys-object-id"));
        sysDescr.ifPresent(regex -> {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("sys-descr: not a regular expression: " + e.getDescription(), e);
            }
        });
    }

    /** True if a device with this sysObjectID and sysDescr is matched; null values match no condition. */
    public boolean matches(OID objectId, String descr) {
        if (sysObjectId.isPresent()
                && (objectId == null || !objectId.startsWith(SnmpOids.parse(sysObjectId.get(), "")))) {
            return false;
        }
        return sysDescr.isEmpty()
                || (descr != null
                        && Pattern.compile(sysDescr.get()).matcher(descr).find());
    }
}
