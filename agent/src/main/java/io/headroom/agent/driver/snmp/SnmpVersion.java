package io.headroom.agent.driver.snmp;

import io.headroom.config.ConfigValue;
import org.snmp4j.mp.SnmpConstants;

/** The SNMP message version a device is spoken to with, spelt as in {@code snmpget -v}. */
public enum SnmpVersion {
    @ConfigValue("1")
    V1(SnmpConstants.version1),
    @ConfigValue("2c")
    V2C(SnmpConstants.version2c),
    @ConfigValue("3")
    V3(SnmpConstants.version3);

    private final int code;

    SnmpVersion(int code) {
        this.code = code;
    }

    /** SNMP4J's version code. */
    int code() {
        return code;
    }

    /** True for v1, which has no GETBULK and reports a missing OID as a noSuchName error for the whole PDU. */
    boolean isV1() {
        return this == V1;
    }
}
