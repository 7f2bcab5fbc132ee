package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.SecretRef;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code v3:} block of a device's {@code snmp:} block: a USM user. The security level follows from
 * the protocols: {@code auth: none} is noAuthNoPriv, {@code priv: none} authNoPriv, both set authPriv.
 * Passphrases are secrets, never inline.
 *
 * @param user USM security name
 * @param auth authentication protocol
 * @param authPassphrase where the authentication passphrase is kept; required unless auth is none
 * @param priv privacy protocol; needs auth
 * @param privPassphrase where the privacy passphrase is kept; required unless priv is none
 * @param context SNMPv3 context name; empty for the default context
 */
public record SnmpV3Settings(
        @Doc("USM user (security name).") String user,

        @Doc("Authentication protocol: none, md5, sha, sha-224, sha-256, sha-384, sha-512.") @Default("none")
        SnmpAuthProtocol auth,

        @Doc("Where the authentication passphrase is kept (file: or credential:).")
        Optional<SecretRef> authPassphrase,

        @Doc("Privacy protocol: none, des, aes, aes-192, aes-256; needs auth.") @Default("none")
        SnmpPrivProtocol priv,

        @Doc("Where the privacy passphrase is kept (file: or credential:).")
        Optional<SecretRef> privPassphrase,

        @Doc("SNMPv3 context name; empty for the default context.") @Default("")
        String context) {

    public SnmpV3Settings {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user: must not be empty");
        }
        if (auth == SnmpAuthProtocol.NONE && authPassphrase.isPresent()) {
            throw new IllegalArgumentException("auth-passphrase: given, but auth is none; set auth or remove it");
        }
        if (auth != SnmpAuthProtocol.NONE && authPassphrase.isEmpty()) {
            throw new IllegalArgumentException(
                    "auth-passphrase: required with auth " + auth.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (priv != SnmpPrivProtocol.NONE && auth == SnmpAuthProtocol.NONE) {
            throw new IllegalArgumentException("priv: privacy needs authentication; set auth as well");
        }
        if (priv == SnmpPrivProtocol.NONE && privPassphrase.isPresent()) {
            throw new IllegalArgumentException("priv-passphrase: given, but priv is none; set priv or remove it");
        }
        if (priv != SnmpPrivProtocol.NONE && privPassphrase.isEmpty()) {
            throw new IllegalArgumentException(
                    "priv-passphrase: required with priv " + priv.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
