package io.headroom.agent.driver.snmp;

import io.headroom.config.ConfigValue;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.smi.OID;

/** SNMPv3 USM authentication (RFC 3414, RFC 7860); {@code none} is noAuthNoPriv. */
public enum SnmpAuthProtocol {
    NONE(null),
    MD5(AuthMD5.ID),
    SHA(AuthSHA.ID),
    @ConfigValue("sha-224")
    SHA224(AuthHMAC128SHA224.ID),
    @ConfigValue("sha-256")
    SHA256(AuthHMAC192SHA256.ID),
    @ConfigValue("sha-384")
    SHA384(AuthHMAC256SHA384.ID),
    @ConfigValue("sha-512")
    SHA512(AuthHMAC384SHA512.ID);

    private final OID id;

    SnmpAuthProtocol(OID id) {
        this.id = id;
    }

    /** SNMP4J's protocol id; null for {@link #NONE}. */
    OID id() {
        return id;
    }
}
