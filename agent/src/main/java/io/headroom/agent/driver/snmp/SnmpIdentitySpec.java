package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where an snmp profile's devices say what they are ({@code points.identity}): the model from an OID
 * (APC {@code rPDU2IdentModelNumber}), the firmware from sysDescr.0 — its first group of
 * {@code firmware-pattern}, or the whole match when the pattern has no group.
 *
 * @param modelOid OID of the model string; sysDescr is used when absent
 * @param firmwarePattern regular expression finding the firmware in sysDescr
 */
public record SnmpIdentitySpec(
        @Doc("OID of the model string, e.g. rPDU2IdentModelNumber.1.")
        Optional<String> modelOid,

        @Doc("Regular expression finding the firmware in sysDescr; its first group, else the match.") @Default(".+")
        String firmwarePattern) {

    public SnmpIdentitySpec {
        modelOid.ifPresent(oid -> SnmpOids.parse(oid, "model-oid"));
        try {
            Pattern.compile(firmwarePattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("firmware-pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    /** The firmware named by a sysDescr, or empty when the pattern finds nothing. */
    public Optional<String> firmware(String sysDescr) {
        java.util.regex.Matcher m = Pattern.compile(firmwarePattern).matcher(sysDescr);
        if (!m.find()) {
            return Optional.empty();
        }
        String found = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
        return found.isBlank() ? Optional.empty() : Optional.of(found.strip());
    }
}
