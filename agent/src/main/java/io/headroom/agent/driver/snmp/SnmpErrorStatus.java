package io.headroom.agent.driver.snmp;

/**
 * The names of the error-status values of RFC 3416 §3 (and RFC 1157's first six), as an operator finds
 * them in a MIB browser or in {@code snmpset}'s output — "notWritable (17)", not SNMP4J's prose.
 */
final class SnmpErrorStatus {

    private static final String[] NAMES = {
        "noError",
        "tooBig",
        "noSuchName",
        "badValue",
        "readOnly",
        "genErr",
        "noAccess",
        "wrongType",
        "wrongLength",
        "wrongEncoding",
        "wrongValue",
        "noCreation",
        "inconsistentValue",
        "resourceUnavailable",
        "commitFailed",
        "undoFailed",
        "authorizationError",
        "notWritable",
        "inconsistentName",
    };

    private SnmpErrorStatus() {}

    /** {@code name (number)}, or {@code error status N} for a number no RFC defines. */
    static String name(int status) {
        return status >= 0 && status < NAMES.length ? NAMES[status] + " (" + status + ")" : "error status " + status;
    }
}
