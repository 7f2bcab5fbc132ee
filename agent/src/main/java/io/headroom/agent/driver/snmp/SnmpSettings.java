package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.config.SecretRef;
import java.util.Objects;
import java.util.Optional;

/**
 * A device's {@code snmp:} block in {@code agent.yaml}. The request timeout is the device's common
 * {@code timeout}: it bounds one request with all its retries.
 *
 * @param host address of the agent (the PDU's management card)
 * @param port UDP port
 * @param version message version
 * @param community where the community string is kept (v1, v2c): communities are secrets
 * @param v3 the USM user (v3)
 * @param retries how often a request is re-sent within the timeout before the device counts as silent
 * @param maxRepetitions GETBULK max-repetitions of a walk for this device, instead of the profile's
 *     (some management cards answer large bulks slowly or with tooBig)
 */
@Doc("SNMP v1/v2c/v3 over UDP (rack PDUs, UPSes).")
public record SnmpSettings(
        @Doc("Address of the SNMP agent.") String host,

        @Doc("UDP port.") @Default("161") @Range(min = "1", max = "65535")
        int port,

        @Doc("Version: 1, 2c or 3.") @Default("2c") SnmpVersion version,

        @Doc("Where the community string is kept (v1, v2c); never inline.")
        Optional<SecretRef> community,

        @Doc("The USM user (v3).") Optional<SnmpV3Settings> v3,

        @Doc("Re-sends of a request within the device's timeout.") @Default("1") @Range(min = "0", max = "5")
        int retries,

        @Doc("GETBULK max-repetitions of a walk for this device (v2c, v3), instead of the profile's.")
        @Range(min = "1", max = "100")
        Optional<Integer> maxRepetitions) {

    public SnmpSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a UDP port (1-65535)");
        }
        Objects.requireNonNull(version, "version");
        if (version == SnmpVersion.V3) {
            if (v3.isEmpty()) {
                throw new IllegalArgumentException("v3: version 3 needs a v3 block with at least a user");
            }
            if (community.isPresent()) {
                throw new IllegalArgumentException("community: not used with version 3 (the v3 user is); remove it");
            }
        } else {
            String spelt = version == SnmpVersion.V1 ? "1" : "2c";
            if (community.isEmpty()) {
                throw new IllegalArgumentException("community: version " + spelt
                        + " needs a community, e.g. community: {file: /etc/headroom/pdu.community}");
            }
            if (v3.isPresent()) {
                throw new IllegalArgumentException("v3: only used with version 3; remove it or set version: 3");
            }
        }
        if (retries < 0 || retries > 5) {
            throw new IllegalArgumentException("retries: " + retries + " must be 0 to 5");
        }
        Objects.requireNonNull(maxRepetitions, "maxRepetitions");
        if (maxRepetitions.isPresent() && (maxRepetitions.get() < 1 || maxRepetitions.get() > 100)) {
            throw new IllegalArgumentException("max-repetitions: " + maxRepetitions.get() + " must be 1 to 100");
        }
        if (maxRepetitions.isPresent() && version == SnmpVersion.V1) {
            throw new IllegalArgumentException("max-repetitions: version 1 has no GETBULK (it walks with GETNEXT);"
                    + " remove it or use version 2c or 3");
        }
    }

    /** Settings with the profile's max-repetitions. */
    public SnmpSettings(
            String host,
            int port,
            SnmpVersion version,
            Optional<SecretRef> community,
            Optional<SnmpV3Settings> v3,
            int retries) {
        this(host, port, version, community, v3, retries, Optional.empty());
    }
}
