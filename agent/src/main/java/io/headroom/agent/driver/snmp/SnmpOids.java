package io.headroom.agent.driver.snmp;

import java.util.regex.Pattern;
import org.snmp4j.smi.OID;

/**
 * Numeric OIDs as profiles write them ({@code 1.3.6.1.4.1.318.1.1.26.4.3.1.5.1}, a leading dot allowed).
 * Profiles hold numeric OIDs only, as snmp_exporter's generated {@code snmp.yml} does: the agent never
 * loads MIBs.
 */
final class SnmpOids {

    private static final Pattern NUMERIC = Pattern.compile("\\.?(0|[1-9]\\d{0,9})(\\.(0|[1-9]\\d{0,9}))+");

    /** The standard system group objects read for identity and match rules. */
    static final OID SYS_DESCR = new OID("1.3.6.1.2.1.1.1.0");

    static final OID SYS_OBJECT_ID = new OID("1.3.6.1.2.1.1.2.0");

    private SnmpOids() {}

    /**
     * Parses a numeric OID.
     *
     * @param key the profile key, first in the message
     * @throws IllegalArgumentException naming the key when the text is not a numeric OID
     */
    static OID parse(String text, String key) {
        if (text == null || !NUMERIC.matcher(text).matches()) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a numeric OID such as 1.3.6.1.2.1.1.1.0");
        }
        OID oid = new OID(text.startsWith(".") ? text.substring(1) : text);
        for (int i = 0; i < oid.size(); i++) {
            if (oid.get(i) < 0) { // sub-identifiers are unsigned 32-bit; OID stores them as int
                throw new IllegalArgumentException(key + ": '" + text + "' has a sub-identifier above 2^31-1");
            }
        }
        return oid;
    }

    /** True if the text is a numeric OID. */
    static boolean isNumeric(String text) {
        return text != null && NUMERIC.matcher(text).matches();
    }
}
