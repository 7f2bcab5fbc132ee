package io.headroom.agent.driver.snmp;

import static io.headroom.agent.driver.snmp.SnmpTestDevices.v3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.driver.DriverContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/**
 * The snmp driver's SNMP client against Debian's Net-SNMP {@code snmpd} over SNMPv3 USM: the interop
 * that an SNMP4J-agent on the other end cannot prove. A good SHA-256/AES-128 authPriv user reads the
 * system group and walks ifTable with GETBULK; a wrong user, a wrong authentication passphrase and a
 * wrong privacy protocol each fail with a reason of their own, none of them a bare timeout.
 */
@Timeout(60)
class NetSnmpdIT {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final OID SYS_DESCR = new OID("1.3.6.1.2.1.1.1.0");
    private static final OID SYS_OBJECT_ID = new OID("1.3.6.1.2.1.1.2.0");
    private static final OID IF_DESCR = new OID("1.3.6.1.2.1.2.2.1.2");
    private static final OID IF_INDEX = new OID("1.3.6.1.2.1.2.2.1.1");

    @TempDir
    static Path dir;

    private static NetSnmpd snmpd;

    private final DriverContext context = SnmpTestDevices.context(
            Map.of("auth", "authpass1234", "priv", "privpass5678", "wrong-auth", "wrongpass1234"));

    @BeforeAll
    static void startSnmpd() throws Exception {
        snmpd = NetSnmpd.start(
                dir,
                List.of(
                        "createUser headroom SHA-256 \"authpass1234\" AES \"privpass5678\"",
                        "createUser sha1des SHA \"authpass1234\" DES \"privpass5678\"",
                        "createUser authonly SHA-256 \"authpass1234\"",
                        "rouser headroom priv",
                        "rouser sha1des priv",
                        "rouser authonly auth"));
    }

    @AfterAll
    static void stopSnmpd() throws Exception {
        if (snmpd != null) {
            snmpd.close();
        }
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    private SnmpClient client(SnmpV3Settings v3, int maxRepetitions) throws SnmpFault {
        SnmpSettings settings = new SnmpSettings(
                "127.0.0.1",
                snmpd.port(),
                SnmpVersion.V3,
                java.util.Optional.empty(),
                java.util.Optional.of(v3),
                1,
                java.util.Optional.of(maxRepetitions));
        SnmpClient client = new SnmpClient(
                () -> context.shared(
                        SnmpSession.SHARED_KEY, SnmpSession.class, () -> SnmpSession.open(context.meters())),
                settings,
                TIMEOUT,
                context.secrets());
        client.maxRepetitions(maxRepetitions);
        client.prepare();
        return client;
    }

    private static SnmpV3Settings good() {
        return v3("headroom", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.AES128, "priv");
    }

    @Test
    void authPrivSha256Aes128_readsTheSystemGroup() throws Exception {
        List<VariableBinding> got = client(good(), 10).get(List.of(SYS_DESCR, SYS_OBJECT_ID));

        assertThat(got.get(0).getVariable().toString()).as(snmpd.log()).startsWith("Linux");
        assertThat(got.get(1).getVariable()).isEqualTo(new OID("1.3.6.1.4.1.8072.3.2.10")); // Net-SNMP on Linux
    }

    @Test
    void authPrivSha1Des_readsTheSystemGroup() throws Exception {
        List<VariableBinding> got = client(
                        v3("sha1des", SnmpAuthProtocol.SHA, "auth", SnmpPrivProtocol.DES, "priv"), 10)
                .get(List.of(SYS_DESCR));

        assertThat(got.get(0).getVariable().toString()).as(snmpd.log()).startsWith("Linux");
    }

    @Test
    void ifTableWalk_withGetBulkOfOneRepetition_returnsEveryInterfaceInOrder() throws Exception {
        SnmpClient client = client(good(), 1);

        List<VariableBinding> names = client.walk(IF_DESCR, 256);
        List<VariableBinding> indexes = client.walk(IF_INDEX, 256);

        assertThat(names).isNotEmpty();
        assertThat(names).hasSameSizeAs(indexes);
        Set<String> descriptions = new HashSet<>();
        names.forEach(b -> descriptions.add(b.getVariable().toString()));
        assertThat(descriptions).contains("lo");
        for (int i = 0; i < names.size(); i++) {
            assertThat(names.get(i).getOid().last())
                    .isEqualTo(indexes.get(i).getVariable().toInt());
        }
    }

    @Test
    void ifTableWalk_withLargeBulks_isTheSameAsWithOneRepetition() throws Exception {
        List<VariableBinding> one = client(good(), 1).walk(IF_DESCR, 256);
        List<VariableBinding> many = client(good(), 50).walk(IF_DESCR, 256);

        assertThat(many).isEqualTo(one);
    }

    @Test
    void unknownUser_isRefusedAsUnknownUser() throws Exception {
        SnmpClient client = client(v3("nobody", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.AES128, "priv"), 10);

        assertThatThrownBy(() -> client.get(List.of(SYS_DESCR)))
                .isInstanceOfSatisfying(
                        SnmpFault.class, f -> assertThat(f.reason()).isEqualTo("usm-unknown-user"))
                .hasMessageContaining("usmStatsUnknownUserNames")
                .hasMessageContaining("user nobody");
    }

    @Test
    void wrongAuthPassphrase_isRefusedAsWrongDigest() throws Exception {
        SnmpClient client =
                client(v3("headroom", SnmpAuthProtocol.SHA256, "wrong-auth", SnmpPrivProtocol.AES128, "priv"), 10);

        assertThatThrownBy(() -> client.get(List.of(SYS_DESCR)))
                .isInstanceOfSatisfying(
                        SnmpFault.class, f -> assertThat(f.reason()).isEqualTo("usm-wrong-digest"))
                .hasMessageContaining("authentication passphrase");
    }

    @Test
    void wrongAuthProtocol_isRefusedAsWrongDigest() throws Exception {
        SnmpClient client = client(v3("headroom", SnmpAuthProtocol.SHA, "auth", SnmpPrivProtocol.AES128, "priv"), 10);

        assertThatThrownBy(() -> client.get(List.of(SYS_DESCR)))
                .isInstanceOfSatisfying(
                        SnmpFault.class, f -> assertThat(f.reason()).isEqualTo("usm-wrong-digest"));
    }

    @Test
    void wrongPrivacyProtocol_isRefusedAsPrivacyMismatch_notATimeout() throws Exception {
        SnmpClient client = client(v3("headroom", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.DES, "priv"), 10);

        assertThatThrownBy(() -> client.get(List.of(SYS_DESCR)))
                .isInstanceOfSatisfying(
                        SnmpFault.class, f -> assertThat(f.reason()).isEqualTo(SnmpFault.PRIVACY_MISMATCH))
                .hasMessageContaining("privacy protocol or the privacy passphrase")
                .hasMessageContaining("authorizationError (16)");
    }

    @Test
    void wrongPrivacyPassphrase_isRefusedAsPrivacyMismatch() throws Exception {
        SnmpClient client =
                client(v3("headroom", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.AES128, "wrong-auth"), 10);

        assertThatThrownBy(() -> client.get(List.of(SYS_DESCR)))
                .isInstanceOfSatisfying(
                        SnmpFault.class, f -> assertThat(f.reason()).isEqualTo(SnmpFault.PRIVACY_MISMATCH));
    }

    @Test
    void authPrivForAnAuthOnlyUser_isRefusedAsUnsupportedSecurityLevel() throws Exception {
        SnmpClient client =
                client(v3("authonly", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.AES128, "priv"), 10);

        assertThatThrownBy(() -> client.get(List.of(SYS_DESCR)))
                .isInstanceOfSatisfying(
                        SnmpFault.class, f -> assertThat(f.reason()).isEqualTo("usm-unsupported-security-level"));
    }
}
