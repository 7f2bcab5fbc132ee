package io.headroom.agent.driver.snmp;

import java.util.Optional;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;

/**
 * The USM statistics an SNMPv3 agent names in a REPORT PDU when it refuses a request (RFC 3414 §3.2,
 * usmStats…), each with its own fault reason: an operator must be able to tell a wrong user from a wrong
 * passphrase from a wrong privacy protocol without reading packet captures.
 *
 * <p>SNMP4J answers {@link #UNKNOWN_ENGINE_ID} and {@link #NOT_IN_TIME_WINDOW} itself (it re-sends with
 * the engine id and time it learnt); they reach the driver only when they persist.
 */
enum SnmpUsmReport {
    UNSUPPORTED_SECURITY_LEVEL(
            SnmpConstants.usmStatsUnsupportedSecLevels,
            "usm-unsupported-security-level",
            "the agent does not support this security level for the user (usmStatsUnsupportedSecLevels); check"
                    + " that auth and priv match the user's settings on the device"),
    NOT_IN_TIME_WINDOW(
            SnmpConstants.usmStatsNotInTimeWindows,
            "usm-not-in-time-window",
            "the request fell outside the agent's time window (usmStatsNotInTimeWindows) even after"
                    + " re-synchronising engine boots and time; the agent's engine clock may be jumping, or two agents"
                    + " share one engine id"),
    UNKNOWN_USER(
            SnmpConstants.usmStatsUnknownUserNames,
            "usm-unknown-user",
            "the agent has no such user (usmStatsUnknownUserNames); check the v3 user name"),
    UNKNOWN_ENGINE_ID(
            SnmpConstants.usmStatsUnknownEngineIDs,
            "usm-unknown-engine-id",
            "the agent does not know the engine id the request was sent to (usmStatsUnknownEngineIDs); the"
                    + " device may have been replaced or re-keyed, its engine id is discovered again at the next poll"),
    WRONG_DIGEST(
            SnmpConstants.usmStatsWrongDigests,
            "usm-wrong-digest",
            "the agent found a wrong digest (usmStatsWrongDigests): the authentication passphrase or the"
                    + " authentication protocol does not match the user's on the device"),
    DECRYPTION_ERROR(
            SnmpConstants.usmStatsDecryptionErrors,
            "usm-decryption-error",
            "the agent could not decrypt the request (usmStatsDecryptionErrors): the privacy passphrase or the"
                    + " privacy protocol does not match the user's on the device");

    private final OID oid;
    private final String reason;
    private final String explanation;

    SnmpUsmReport(OID oid, String reason, String explanation) {
        this.oid = oid;
        this.reason = reason;
        this.explanation = explanation;
    }

    /** The usmStats object (without the {@code .0} instance). */
    OID oid() {
        return oid;
    }

    /** The fault reason a device's status shows. */
    String reason() {
        return reason;
    }

    /** What it means and what to check. */
    String explanation() {
        return explanation;
    }

    /** True for the reports SNMP4J handles itself by re-sending (engine-id discovery, time synchronisation). */
    boolean resentBySnmp4j() {
        return this == UNKNOWN_ENGINE_ID || this == NOT_IN_TIME_WINDOW;
    }

    /** The report a variable binding's OID names ({@code usmStatsX} or {@code usmStatsX.0}). */
    static Optional<SnmpUsmReport> of(OID reported) {
        for (SnmpUsmReport report : values()) {
            if (reported.startsWith(report.oid)) {
                return Optional.of(report);
            }
        }
        return Optional.empty();
    }
}
