package io.headroom.agent.driver.snmp;

import static io.headroom.agent.driver.snmp.SnmpTestDevices.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivDES;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;

/**
 * The snmp driver over SNMPv3 USM against SNMP4J-agent on loopback: every security level, the
 * protocols SNMP4J offers, engine-id discovery, and keys per device. The USM refusals are proven against
 * Net-SNMP ({@link NetSnmpdIT}): SNMP4J-agent does not send the unauthenticated reports Net-SNMP does.
 */
@Timeout(60)
class SnmpV3IT {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Path CASE = GoldenCasesTest.casesRoot().resolve("apc/ap8641/aos-6.7.2/walk.snmprec");
    private static final String AUTH = "auth-pass-1234";
    private static final String PRIV = "priv-pass-5678";
    private static final String OTHER_AUTH = "other-auth-pass-9";

    private final DriverContext context =
            SnmpTestDevices.context(Map.of("auth", AUTH, "priv", PRIV, "other-auth", OTHER_AUTH));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        context.close();
    }

    private SnmpTestAgent agent(SnmpTestAgent.Refusal refusal) throws Exception {
        return agent(refusal, AUTH);
    }

    private SnmpTestAgent agent(SnmpTestAgent.Refusal refusal, String sha256Passphrase) throws Exception {
        SnmpTestAgent agent = new SnmpTestAgent(
                Snmprec.read(CASE),
                "public",
                List.of(
                        new SnmpTestAgent.User("noauth", null, null, null, null),
                        new SnmpTestAgent.User("md5", AuthMD5.ID, AUTH, null, null),
                        new SnmpTestAgent.User("sha1des", AuthSHA.ID, AUTH, PrivDES.ID, PRIV),
                        new SnmpTestAgent.User("sha256", AuthHMAC192SHA256.ID, sha256Passphrase, null, null),
                        new SnmpTestAgent.User("sha256aes", AuthHMAC192SHA256.ID, AUTH, PrivAES128.ID, PRIV)),
                refusal);
        toClose.add(agent);
        return agent;
    }

    private Driver driver(SnmpTestAgent agent, SnmpV3Settings v3) {
        Driver driver = SnmpTestDevices.driver(
                "pdu-v3", "apc/rpdu2", SnmpTestDevices.v3Settings(agent.port(), v3), TIMEOUT, context);
        toClose.add(driver::close);
        return driver;
    }

    enum Level {
        NO_AUTH_NO_PRIV("noauth", SnmpAuthProtocol.NONE, SnmpPrivProtocol.NONE),
        AUTH_NO_PRIV_MD5("md5", SnmpAuthProtocol.MD5, SnmpPrivProtocol.NONE),
        AUTH_NO_PRIV_SHA256("sha256", SnmpAuthProtocol.SHA256, SnmpPrivProtocol.NONE),
        AUTH_PRIV_SHA1_DES("sha1des", SnmpAuthProtocol.SHA, SnmpPrivProtocol.DES),
        AUTH_PRIV_SHA256_AES128("sha256aes", SnmpAuthProtocol.SHA256, SnmpPrivProtocol.AES128);

        final String user;
        final SnmpAuthProtocol auth;
        final SnmpPrivProtocol priv;

        Level(String user, SnmpAuthProtocol auth, SnmpPrivProtocol priv) {
            this.user = user;
            this.auth = auth;
            this.priv = priv;
        }

        SnmpV3Settings settings() {
            return v3(
                    user,
                    auth,
                    auth == SnmpAuthProtocol.NONE ? null : "auth",
                    priv,
                    priv == SnmpPrivProtocol.NONE ? null : "priv");
        }
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void poll_eachSecurityLevel_discoversTheEngineAndReadsTheWholeProfile(Level level) throws Exception {
        SnmpTestAgent agent = agent(SnmpTestAgent.Refusal.NONE);

        PollResult result = driver(agent, level.settings()).poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity()).isNotNull();
        assertThat(result.identity().model()).isEqualTo("AP8641");
        // 2 device scalars, 2 phase columns, 24 outlets x (power, energy, state)
        assertThat(result.readings()).hasSize(2 + 2 + 24 * 3);
    }

    @Test
    void outletOff_overAuthPriv_isAppliedAndReadBack() throws Exception {
        SnmpTestAgent agent = agent(SnmpTestAgent.Refusal.NONE);

        CommandOutcome off =
                driver(agent, Level.AUTH_PRIV_SHA256_AES128.settings()).execute(Verb.VERB_OUTLET_OFF, 0, "3");

        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(off.readBack()).hasValue(0);
        assertThat(agent.value(new OID(SnmpTestAgent.SWITCHED_STATE).append(3)))
                .as("outlet 3 is row 3 of the constructed switched table")
                .isEqualTo(new Integer32(1));
    }

    @Test
    void twoDevices_sameUserNameDifferentPassphrases_eachUseTheirOwnKeys() throws Exception {
        SnmpTestAgent first = agent(SnmpTestAgent.Refusal.NONE, AUTH);
        SnmpTestAgent second = agent(SnmpTestAgent.Refusal.NONE, OTHER_AUTH);
        Driver one = driver(first, v3("sha256", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.NONE, null));
        Driver two = driver(second, v3("sha256", SnmpAuthProtocol.SHA256, "other-auth", SnmpPrivProtocol.NONE, null));

        PollResult firstPoll = one.poll();
        PollResult secondPoll = two.poll();
        PollResult firstAgain = one.poll();

        assertThat(firstPoll.health()).as(firstPoll.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(secondPoll.health()).as(secondPoll.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(firstAgain.health()).as(firstAgain.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void poll_nothingListening_isOfflineTimeoutNamingEngineIdDiscovery() throws Exception {
        int port;
        try (java.net.DatagramSocket free = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Driver driver = SnmpTestDevices.driver(
                "pdu-v3",
                "apc/rpdu2",
                SnmpTestDevices.v3Settings(port, Level.NO_AUTH_NO_PRIV.settings()),
                TIMEOUT,
                context);
        toClose.add(driver::close);

        PollResult result = driver.poll();

        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(result.message()).contains("engine-id discovery");
    }
}
