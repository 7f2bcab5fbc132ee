package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;

/**
 * Outlet commands an SNMP agent refuses: each is FAILED, names the SNMP error status as the RFC spells
 * it, and leaves the outlet as it was.
 */
@Timeout(60)
class SnmpControlRefusalIT {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final Path CASE = GoldenCasesTest.casesRoot().resolve("apc/ap8641/aos-6.7.2/walk.snmprec");
    private static final OID OUTLET_3_STATE = new OID(SnmpTestAgent.SWITCHED_STATE).append(3);

    private final DriverContext context = SnmpTestDevices.context(Map.of("public", "public", "wrong", "private"));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        context.close();
    }

    private SnmpTestAgent agent(SnmpTestAgent.Refusal refusal) throws Exception {
        SnmpTestAgent agent = new SnmpTestAgent(Snmprec.read(CASE), "public", List.of(), refusal);
        toClose.add(agent);
        return agent;
    }

    private Driver driver(SnmpTestAgent agent, SnmpVersion version, String community) {
        Driver driver = SnmpTestDevices.driver(
                "pdu-1",
                "apc/rpdu2",
                SnmpTestDevices.communitySettings(agent.port(), version, community),
                TIMEOUT,
                context);
        toClose.add(driver::close);
        return driver;
    }

    @ParameterizedTest
    @CsvSource({
        "NOT_WRITABLE, V2C, device-error, notWritable (17)",
        "WRONG_VALUE, V2C, device-error, wrongValue (10)",
        "NO_ACCESS, V2C, device-error, noAccess (6)",
        "NO_WRITE_VIEW, V2C, auth, authorizationError (16)",
        "NOT_WRITABLE, V1, device-error, noSuchName (2)",
    })
    void outletOff_refusedByTheAgent_isFailedNamingTheErrorStatus(
            SnmpTestAgent.Refusal refusal, SnmpVersion version, String reason, String status) throws Exception {
        SnmpTestAgent agent = agent(refusal);

        CommandOutcome off = driver(agent, version, "public").execute(Verb.VERB_OUTLET_OFF, 0, "3");

        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(off.reason()).as(off.message()).isEqualTo(reason);
        assertThat(off.message()).contains(status).contains("SET 1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.3 = 2");
        assertThat(agent.value(OUTLET_3_STATE)).as("outlet 3 stays on").isEqualTo(new Integer32(2));
    }

    @Test
    void outletOff_withAWrongCommunity_isFailedTimeoutSayingTheCommunityMayBeWrong() throws Exception {
        SnmpTestAgent agent = agent(SnmpTestAgent.Refusal.NONE);

        CommandOutcome off = driver(agent, SnmpVersion.V2C, "wrong").execute(Verb.VERB_OUTLET_OFF, 0, "3");

        assertThat(off.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(off.reason()).isEqualTo("timeout");
        assertThat(off.message()).contains("wrong community");
        assertThat(agent.value(OUTLET_3_STATE)).isEqualTo(new Integer32(2));
    }

    @Test
    void outletCycle_setsImmediateReboot3_andIsConfirmedOnByReadBack() throws Exception {
        SnmpTestAgent agent = agent(SnmpTestAgent.Refusal.NONE);
        Driver driver = driver(agent, SnmpVersion.V2C, "public");
        driver.execute(Verb.VERB_OUTLET_OFF, 0, "3");

        CommandOutcome cycle = driver.execute(Verb.VERB_OUTLET_CYCLE, 0, "3");

        assertThat(cycle.status()).as(cycle.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(cycle.message()).contains("= 3");
        assertThat(cycle.readBack()).hasValue(1);
        assertThat(agent.value(OUTLET_3_STATE)).isEqualTo(new Integer32(2));
    }
}
