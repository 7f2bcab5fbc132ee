package io.headroom.agent.driver.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.snmp4j.DirectUserTarget;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthenticationProtocol;
import org.snmp4j.security.PrivacyProtocol;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

/**
 * One device's SNMPv3 USM target (decision D16): the device's authoritative engine id is discovered
 * (RFC 3414 §4) on first use, the user's passphrases are localized to that engine id, and the keys
 * travel in the target ({@link DirectUserTarget}) instead of the session's shared USM user table. Two
 * devices may so use one user name with different passphrases, and two devices that wrongly share an
 * engine id (cloned management cards) still each use their own keys.
 *
 * <p>The engine id is kept until a report says it is stale ({@link #forgetEngine()}: unknown engine
 * id, wrong digest, decryption error, not in time window — a replaced card answers at the old address
 * with a new engine id), or the address or the secrets change.
 */
final class SnmpUsmTarget {

    private byte[] engineId;
    private UdpAddress discoveredAt;
    private String secretsDigest;
    private DirectUserTarget<UdpAddress> target;

    /**
     * The target for this poll or command, discovering the engine id and localizing the keys when needed.
     *
     * @param auth the authentication passphrase, null with auth none
     * @param priv the privacy passphrase, null with priv none
     * @throws SnmpFault {@code timeout} when discovery gets no reply, {@code credentials} when a protocol
     *     is not available or a passphrase is too short to localize
     */
    DirectUserTarget<UdpAddress> target(
            Snmp snmp,
            SecurityProtocols protocols,
            UdpAddress address,
            SnmpV3Settings v3,
            OctetString auth,
            OctetString priv,
            long timeoutMillis)
            throws SnmpFault {
        if (engineId == null || !address.equals(discoveredAt)) {
            byte[] found = snmp.discoverAuthoritativeEngineID(address, timeoutMillis);
            if (found == null || found.length == 0) {
                throw new SnmpFault(
                        SnmpFault.TIMEOUT,
                        "no reply from " + address + " to SNMPv3 engine-id discovery within " + timeoutMillis
                                + " ms; check the address and port, and that the agent has SNMPv3 enabled",
                        true);
            }
            engineId = found;
            discoveredAt = address;
            target = null;
        }
        String digest = digest(v3, auth, priv);
        if (target != null && digest.equals(secretsDigest)) {
            target.setAddress(address);
            return target;
        }
        if (auth != null && auth.length() < 8 || priv != null && priv.length() < 8) {
            // RFC 3414 §11.2: SNMP4J refuses to derive a key from fewer than 8 octets.
            throw new SnmpFault(
                    SnmpFault.CREDENTIALS,
                    (auth != null && auth.length() < 8 ? "auth-passphrase" : "priv-passphrase")
                            + ": shorter than the 8 characters USM requires (RFC 3414 §11.2)",
                    true);
        }
        DirectUserTarget<UdpAddress> built = new DirectUserTarget<>();
        built.setAddress(address);
        built.setAuthoritativeEngineID(engineId);
        built.setSecurityName(new OctetString(v3.user()));
        if (auth != null) {
            AuthenticationProtocol authProtocol =
                    protocols.getAuthenticationProtocol(v3.auth().id());
            byte[] authKey = authProtocol == null
                    ? null
                    : protocols.passwordToKey(v3.auth().id(), auth, engineId);
            if (authKey == null) {
                throw unavailable(v3, "auth " + v3.auth());
            }
            built.setAuthenticationProtocol(authProtocol);
            built.setAuthenticationKey(new OctetString(authKey));
            if (priv != null) {
                PrivacyProtocol privProtocol =
                        protocols.getPrivacyProtocol(v3.priv().id());
                byte[] privKey = privProtocol == null
                        ? null
                        : protocols.passwordToKey(v3.priv().id(), v3.auth().id(), priv, engineId);
                if (privKey == null) {
                    throw unavailable(v3, "priv " + v3.priv());
                }
                built.setPrivacyProtocol(privProtocol);
                built.setPrivacyKey(new OctetString(privKey));
            }
        }
        SecurityLevel wanted = v3.auth() == SnmpAuthProtocol.NONE
                ? SecurityLevel.noAuthNoPriv
                : v3.priv() == SnmpPrivProtocol.NONE ? SecurityLevel.authNoPriv : SecurityLevel.authPriv;
        built.setSecurityLevel(wanted.getSnmpValue());
        built.setSecurityModel(SecurityModel.SECURITY_MODEL_USM);
        target = built;
        secretsDigest = digest;
        return built;
    }

    private static SnmpFault unavailable(SnmpV3Settings v3, String what) {
        return new SnmpFault(
                SnmpFault.CREDENTIALS,
                "v3 user " + v3.user() + ": " + what.toLowerCase(java.util.Locale.ROOT)
                        + " is not available in this agent's SNMP4J",
                true);
    }

    /**
     * Explains an authPriv request that got no reply at all: the same user is asked for sysUpTime.0
     * authenticated but unencrypted, with one try of {@code timeoutMillis}. Any answer (a value, or the
     * authorizationError of a user whose view needs privacy) proves user and authentication key right, so
     * the privacy protocol or passphrase is what is wrong: a Net-SNMP agent drops a request it decrypts to
     * garbage ("error parsing ScopedPDU") without a report.
     *
     * @return the privacy-mismatch fault, or empty when the probe is not answered either (a silent device)
     */
    Optional<SnmpFault> explainSilence(Snmp snmp, SnmpV3Settings v3, long timeoutMillis) {
        DirectUserTarget<UdpAddress> current = target;
        if (current == null || current.getSecurityLevel() != SecurityLevel.AUTH_PRIV) {
            return Optional.empty();
        }
        DirectUserTarget<UdpAddress> probe = (DirectUserTarget<UdpAddress>) current.duplicate();
        probe.setSecurityLevel(SecurityLevel.AUTH_NOPRIV);
        probe.setRetries(0);
        probe.setTimeout(timeoutMillis);
        ScopedPDU pdu = new ScopedPDU();
        pdu.setType(PDU.GET);
        pdu.setContextName(new OctetString(v3.context()));
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime));
        ResponseEvent<UdpAddress> event;
        try {
            event = snmp.send(pdu, probe);
        } catch (IOException e) {
            return Optional.empty();
        }
        PDU response = event == null ? null : event.getResponse();
        if (response == null || response.getType() != PDU.RESPONSE) {
            return Optional.empty();
        }
        return Optional.of(new SnmpFault(
                SnmpFault.PRIVACY_MISMATCH,
                current.getAddress() + " does not answer encrypted requests of v3 user " + v3.user() + " (priv "
                        + v3.priv().name().toLowerCase(java.util.Locale.ROOT)
                        + "), but answers the same user authenticated without privacy"
                        + (response.getErrorStatus() == PDU.noError
                                ? ""
                                : " (with " + SnmpErrorStatus.name(response.getErrorStatus()) + ")")
                        + ": the privacy protocol or the privacy passphrase does not match the user's on the device",
                true));
    }

    /** The engine id discovered, or null before the first discovery. */
    byte[] engineId() {
        return engineId == null ? null : engineId.clone();
    }

    /** Discover the engine id again before the next request. */
    void forgetEngine() {
        engineId = null;
        target = null;
    }

    /** Compares secrets without keeping them: a digest of user, protocols and passphrases. */
    private static String digest(SnmpV3Settings v3, OctetString auth, OctetString priv) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((v3.user() + '\0' + v3.auth() + '\0' + v3.priv() + '\0').getBytes(StandardCharsets.UTF_8));
            sha.update(auth == null ? new byte[0] : auth.getValue());
            sha.update((byte) 0);
            sha.update(priv == null ? new byte[0] : priv.getValue());
            byte[] out = sha.digest();
            String hex = HexFormat.of().formatHex(out);
            Arrays.fill(out, (byte) 0);
            return hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
