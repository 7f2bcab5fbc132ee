package io.headroom.agent.driver.snmp;

import io.headroom.config.ConfigValue;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.smi.OID;

/** SNMPv3 USM privacy (encryption); {@code none} is authNoPriv. */
public enum SnmpPrivProtocol {
    NONE(null),
    DES(PrivDES.ID),
    @ConfigValue("aes")
    AES128(PrivAES128.ID),
    @ConfigValue("aes-192")
    AES192(PrivAES192.ID),
    @ConfigValue("aes-256")
    AES256(PrivAES256.ID);

    private final OID id;

    SnmpPrivProtocol(OID id) {
        this.id = id;
    }

    /** SNMP4J's protocol id; null for {@link #NONE}. */
    OID id() {
        return id;
    }
}
