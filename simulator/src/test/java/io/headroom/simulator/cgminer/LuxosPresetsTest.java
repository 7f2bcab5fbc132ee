package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import io.headroom.simulator.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LuxOS presets, ATM and reboot in stepped time, without sockets. */
class LuxosPresetsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private ManualClock clock;
    private MinerModel model;
    private LuxosRpc rpc;

    @BeforeEach
    void setUp() {
        clock = new ManualClock(T0);
        model = new MinerModel(MinerSpec.S19_XP, 1, 25.0, T0);
        rpc = new LuxosRpc(model, MinerIdentity.generate(1, 0), clock, 1, Duration.ofSeconds(30));
    }

    private JsonNode call(String command, String parameter) {
        return rpc.handle(JsonSupport.request(command, parameter).toString());
    }

    private static String status(JsonNode reply) {
        return reply.path("STATUS").path(0).path("STATUS").asText();
    }

    private String logon() {
        return call("logon", null).path("SESSION").path(0).path("SessionID").asText();
    }

    @Test
    void profiles_listPresetsAroundTheNameplate_andConfigNamesTheActiveOne() {
        JsonNode list = call("profiles", null).path("PROFILES");

        assertThat(list).hasSize(LuxosRpc.STEPS_DOWN + 1 + LuxosRpc.STEPS_UP);
        assertThat(list.path(LuxosRpc.STEPS_DOWN).path("Profile Name").asText()).isEqualTo("505MHz");
        assertThat(list.path(LuxosRpc.STEPS_DOWN).path("Watts").asLong()).isEqualTo(3010);
        assertThat(list.path(0).path("Watts").asLong())
                .isLessThan(list.path(1).path("Watts").asLong());
        JsonNode config = call("config", null).path("CONFIG").path(0);
        assertThat(config.path("Profile").asText()).isEqualTo("505MHz");
        assertThat(config.path("IsAtmEnabled").asBoolean()).isTrue();
        assertThat(call("atm", null).path("ATM").path(0).path("Enabled").asBoolean())
                .isTrue();
    }

    @Test
    void profileset_isRefusedWhileAtmIsOn_andAppliedOnceAtmIsOff() {
        String sid = logon();
        JsonNode refused = call("profileset", sid + ",430MHz");

        assertThat(status(refused)).isEqualTo("E");
        assertThat(refused.path("STATUS").path(0).path("Msg").asText()).contains("ATM");
        assertThat(model.powerTargetWatts()).isEqualTo(3010.0);

        assertThat(status(call("atmset", sid + ",enabled=false"))).isEqualTo("S");
        assertThat(call("atm", null).path("ATM").path(0).path("Enabled").asBoolean())
                .isFalse();
        JsonNode set = call("profileset", sid + ",430MHz");

        assertThat(status(set)).isEqualTo("S");
        assertThat(set.path("PROFILE").path(0).path("Profile").asText()).isEqualTo("430MHz");
        assertThat(model.powerTargetWatts()).isEqualTo((double) rpc.profileWatts("430MHz"));
        assertThat(call("config", null).path("CONFIG").path(0).path("Profile").asText())
                .isEqualTo("430MHz");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "430MHz",
                "SID,430MHz",
                "{sid}",
                "{sid},",
                "{sid},999MHz",
                "{sid},430MHz,extra",
                "{sid},\u0000\u2603"
            })
    void profileset_garbage_isRefused_andThePowerTargetStays(String template) {
        rpc.setAtmEnabled(false);
        String sid = logon();
        JsonNode reply = call("profileset", template.replace("{sid}", sid));

        assertThat(status(reply)).as(template).isEqualTo("E");
        assertThat(model.powerTargetWatts()).isEqualTo(3010.0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "enabled=false",
                "{sid}",
                "{sid},enabled",
                "{sid},enabled=maybe",
                "{sid},frobnicate=1",
                "{sid},enabled=false,=",
                "{sid}," + "x"
            })
    void atmset_garbage_isRefused_andAtmStaysOn(String template) {
        String sid = logon();
        JsonNode reply = call("atmset", template.replace("{sid}", sid));

        assertThat(status(reply)).as(template).isEqualTo("E");
        assertThat(rpc.atmEnabled()).isTrue();
    }

    @Test
    void oversizeAtmsetParameter_isRefusedWithAShortMessage() {
        String sid = logon();
        JsonNode reply = call("atmset", sid + "," + "k".repeat(60_000) + "=1");

        assertThat(status(reply)).isEqualTo("E");
        assertThat(reply.path("STATUS").path(0).path("Msg").asText()).hasSizeLessThan(120);
    }

    @Test
    void rebootdevice_needsTheSession_thenIsSilentForTheRebootPeriod_andASleptRigStaysAsleep() {
        assertThat(status(call("rebootdevice", "nosuchid"))).isEqualTo("E");
        String sid = logon();
        call("curtail", sid + ",sleep");

        assertThat(status(call("rebootdevice", sid))).isEqualTo("S");
        assertThat(call("version", null)).isNull();
        clock.advance(Duration.ofSeconds(29));
        assertThat(call("config", null)).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(call("config", null)
                        .path("CONFIG")
                        .path(0)
                        .path("CurtailMode")
                        .asText())
                .isEqualTo("Sleep");
        assertThat(model.mode()).isEqualTo(Mode.SLEEP);
        assertThat(status(call("logon", null)))
                .as("the session ended with the reboot")
                .isEqualTo("S");
    }

    @Test
    void newControls_cannotBeJoinedIntoAMultiCommand() {
        JsonNode reply = call("summary+profileset", null);

        assertThat(reply.path("profileset")
                        .path(0)
                        .path("STATUS")
                        .path(0)
                        .path("Code")
                        .asInt())
                .isEqualTo(LuxosRpc.CODE_ACCESS_DENIED);
    }
}
