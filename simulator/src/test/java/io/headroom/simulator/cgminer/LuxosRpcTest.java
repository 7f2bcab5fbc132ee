package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import io.headroom.simulator.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Command semantics in stepped time, without sockets (the socket path is covered by CgminerRpcServerIT). */
class LuxosRpcTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private ManualClock clock;
    private MinerModel model;
    private LuxosRpc rpc;

    @BeforeEach
    void setUp() {
        clock = new ManualClock(T0);
        model = new MinerModel(MinerSpec.S19_XP, 1, 25.0, T0);
        rpc = new LuxosRpc(model, MinerIdentity.generate(1, 0), clock, 1);
    }

    private JsonNode call(String command, String parameter) {
        return rpc.handle("{\"command\":\"" + command + "\",\"parameter\":\"" + parameter + "\"}");
    }

    private static String status(JsonNode reply) {
        return reply.path("STATUS").path(0).path("STATUS").asText();
    }

    private String logon() {
        JsonNode reply = call("logon", "");
        assertThat(status(reply)).isEqualTo("S");
        return reply.path("SESSION").path(0).path("SessionID").asText();
    }

    @Test
    void curtailSleep_thenTimeSteps_powerFallsAndConfigSaysSleep() {
        String sid = logon();
        JsonNode curtail = call("curtail", sid + ",sleep");
        assertThat(status(curtail)).isEqualTo("S");
        assertThat(curtail.path("STATUS").path(0).path("Code").asInt()).isEqualTo(335);
        assertThat(curtail.path("CURTAIL").path(0).path("Action").asText()).isEqualTo("sleep");

        clock.advance(Duration.ofSeconds(5));
        JsonNode power = call("power", "");
        double expected = 30 + (model.snapshot().powerTargetWatts() - 30) * Math.exp(-1);
        assertThat(power.path("POWER").path(0).path("Watts").asDouble()).isCloseTo(expected, within(40.0));
        assertThat(power.path("POWER").path(0).path("Watts").asLong())
                .isEqualTo(Math.round(model.snapshot().powerWatts()));
        JsonNode config = call("config", "");
        assertThat(config.path("CONFIG").path(0).path("CurtailMode").asText()).isEqualTo("Sleep");
        assertThat(config.path("CONFIG").path(0).path("IsPowerSupplyOn").asBoolean())
                .isFalse();
        assertThat(call("summary", "").path("SUMMARY").path(0).path("GHS 5s").asDouble())
                .isZero();

        assertThat(status(call("curtail", sid + ",wakeup"))).isEqualTo("S");
        assertThat(call("config", "").path("CONFIG").path(0).path("CurtailMode").asText())
                .isEqualTo("None");
    }

    @Test
    void curtail_withoutOrWithWrongSession_isRefusedAndMinerKeepsMining() {
        JsonNode none = call("curtail", "sleep");
        JsonNode wrong = call("curtail", "nosuchid,sleep");
        logon();
        JsonNode wrongWhileActive = call("curtail", "nosuchid,sleep");

        for (JsonNode reply : new JsonNode[] {none, wrong, wrongWhileActive}) {
            assertThat(status(reply)).isEqualTo("E");
            assertThat(reply.has("CURTAIL")).isFalse();
        }
        assertThat(call("config", "").path("CONFIG").path(0).path("CurtailMode").asText())
                .isEqualTo("None");
    }

    @Test
    void secondLogon_whileSessionActive_isRefusedUntilItExpires() {
        String first = logon();
        JsonNode second = call("logon", "");
        assertThat(status(second)).isEqualTo("E");
        assertThat(second.path("STATUS").path(0).path("Msg").asText()).contains("session");
        assertThat(call("session", "").path("SESSION").path(0).path("SessionID").asText())
                .isEqualTo(first);

        clock.advance(Duration.ofSeconds(59));
        assertThat(status(call("logon", ""))).isEqualTo("E");
        clock.advance(Duration.ofSeconds(1));
        assertThat(call("session", "").path("SESSION").path(0).path("SessionID").asText())
                .isEmpty();
        String third = logon();
        assertThat(third).isNotEqualTo(first);
    }

    @Test
    void session_useRefreshesIdleExpiry_andExpiredSessionIsRefused() {
        String sid = logon();
        clock.advance(Duration.ofSeconds(50));
        assertThat(status(call("curtail", sid + ",sleep"))).isEqualTo("S");
        clock.advance(Duration.ofSeconds(50));
        assertThat(status(call("curtail", sid + ",wakeup"))).isEqualTo("S");
        clock.advance(Duration.ofSeconds(61));
        assertThat(status(call("curtail", sid + ",sleep"))).isEqualTo("E");
    }

    @Test
    void logoff_endsTheSession_soANewLogonSucceeds() {
        String sid = logon();
        assertThat(status(call("logoff", "wrong"))).isEqualTo("E");
        assertThat(status(call("logoff", sid))).isEqualTo("S");
        assertThat(status(call("curtail", sid + ",sleep"))).isEqualTo("E");
        logon();
    }

    @Test
    void curtail_unknownAction_isRefused() {
        String sid = logon();
        assertThat(status(call("curtail", sid + ",nap"))).isEqualTo("E");
        assertThat(status(call("curtail", sid))).isEqualTo("E");
    }

    @Test
    void unknownCommand_isCode14InvalidCommand() {
        JsonNode reply = call("nosuch", "");
        assertThat(status(reply)).isEqualTo("E");
        assertThat(reply.path("STATUS").path(0).path("Code").asInt()).isEqualTo(14);
        assertThat(reply.path("STATUS").path(0).path("Msg").asText()).isEqualTo("Invalid command");
        assertThat(reply.path("id").asInt()).isEqualTo(1);
    }

    @Test
    void multiCommand_withAControlCommand_deniesThatPartOnly() {
        JsonNode reply = call("summary+logon+bogus", "");
        assertThat(status(reply.path("summary").path(0))).isEqualTo("S");
        assertThat(reply.path("logon")
                        .path(0)
                        .path("STATUS")
                        .path(0)
                        .path("Code")
                        .asInt())
                .isEqualTo(45);
        assertThat(reply.path("bogus")
                        .path(0)
                        .path("STATUS")
                        .path(0)
                        .path("Code")
                        .asInt())
                .isEqualTo(14);
        assertThat(call("session", "").path("SESSION").path(0).path("SessionID").asText())
                .isEmpty();
    }

    @Test
    void stats_valuesMatchTheModelSnapshot() {
        clock.advance(Duration.ofSeconds(30));
        JsonNode stats = call("stats", "").path("STATS").path(1);
        var snapshot = model.snapshot();
        assertThat(snapshot.at()).isEqualTo(clock.instant());
        double chainSum = 0;
        for (int n = 1; n <= 3; n++) {
            var board = snapshot.boards().get(n - 1);
            assertThat(stats.path("chain_rate" + n).asText())
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", board.hashrateThs() * 1000));
            chainSum += Double.parseDouble(stats.path("chain_rate" + n).asText());
            String[] chip = stats.path("temp_chip" + n).asText().split("-");
            assertThat(chip).hasSize(4);
            assertThat(Integer.parseInt(chip[0])).isEqualTo(board.chipTempsC().get(0));
            assertThat(stats.path("temp2_" + n).asDouble()).isEqualTo(board.maxChipTempC());
            assertThat(stats.path("chain_acn" + n).asInt()).isEqualTo(110);
        }
        assertThat(chainSum).isCloseTo(stats.path("GHS 5s").asDouble(), within(0.05));
        assertThat(stats.path("GHS 5s").asDouble()).isCloseTo(snapshot.hashrateThs() * 1000, within(0.01));
        assertThat(stats.path("fan1").asInt()).isEqualTo(snapshot.fanRpms().get(0));
        assertThat(stats.path("chain_rate4").asText()).isEqualTo("0");
        assertThat(stats.path("temp_chip4").asText()).isEqualTo("0-0-0-0");
    }

    @Test
    void envelope_hasStatusWhenCodeMsgDescriptionAndId() {
        clock.advance(Duration.ofSeconds(12));
        JsonNode status = call("version", "").path("STATUS").path(0);
        assertThat(status.path("STATUS").asText()).isEqualTo("S");
        assertThat(status.path("When").asLong()).isEqualTo(T0.getEpochSecond() + 12);
        assertThat(status.path("Code").asInt()).isEqualTo(22);
        assertThat(status.path("Description").asText()).isEqualTo(LuxosRpc.FIRMWARE);
        assertThat(call("version", "").path("VERSION").path(0).path("Type").asText())
                .isEqualTo("Antminer S19 XP");
    }
}
