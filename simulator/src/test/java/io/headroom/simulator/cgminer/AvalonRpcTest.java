package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Avalon personality's command semantics in stepped time, without sockets. */
class AvalonRpcTest {
    private static final Instant T0 = Instant.parse("2025-07-25T08:00:00Z");

    private ManualClock clock;
    private MinerModel model;
    private AvalonRpc rpc;

    @BeforeEach
    void setUp() {
        clock = new ManualClock(T0);
        model = new MinerModel(AvalonRpc.A1566, 3, 30.0, T0);
        rpc = new AvalonRpc(model, MinerIdentity.generate(3, 0), clock, AvalonRpc.Options.defaults());
    }

    private JsonNode call(String command, String parameter) {
        ObjectNode request = io.headroom.simulator.cgminer.JsonSupport.request(command, parameter);
        return rpc.handle(request.toString());
    }

    private static String status(JsonNode reply) {
        return reply.path("STATUS").path(0).path("STATUS").asText();
    }

    private static String msg(JsonNode reply) {
        return reply.path("STATUS").path(0).path("Msg").asText();
    }

    private String mm() {
        return call("estats", null).path("STATS").path(0).path("MM ID0").asText();
    }

    private static String key(String mm, String key) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(key) + "\\[([^\\]]*)]")
                .matcher(mm);
        assertThat(m.find()).as("%s in %s", key, mm).isTrue();
        return m.group(1);
    }

    @Test
    void estats_statusStringFollowsTheModel() {
        clock.advance(Duration.ofSeconds(30));
        String mm = mm();

        assertThat(Double.parseDouble(key(mm, "WALLPOWER")))
                .isCloseTo(model.snapshot().powerWatts(), within(1.0));
        assertThat(key(mm, "MPO")).isEqualTo("3515");
        assertThat(key(mm, "WORKLEVEL")).isEqualTo("2");
        assertThat(key(mm, "SoftOFF")).isEqualTo("0");
        assertThat(Double.parseDouble(key(mm, "GHSspd")) / 1000)
                .isCloseTo(model.snapshot().hashrateThs(), within(0.01));
        assertThat(key(mm, "MGHS").split(" ")).hasSize(3);
        assertThat(key(mm, "SYSTEMSTATU")).startsWith("Work: In Work");
        assertThat(key(mm, "Fan2")).isEqualTo(model.snapshot().fanRpms().get(1).toString());
    }

    @Test
    void softoff_scheduledAhead_takesEffectAtItsTime_andSoftOnWakes() {
        long at = T0.getEpochSecond() + 5;
        JsonNode reply = call("ascset", "0,softoff,1:" + at);

        assertThat(status(reply)).isEqualTo("I");
        assertThat(msg(reply)).isEqualTo("ASC 0 set info: success softoff:" + at);
        assertThat(model.mode()).isEqualTo(Mode.NORMAL);
        clock.advance(Duration.ofSeconds(4));
        assertThat(key(mm(), "SoftOFF")).isEqualTo("0");
        clock.advance(Duration.ofSeconds(1));
        assertThat(key(mm(), "SoftOFF")).isEqualTo("4");
        assertThat(model.mode()).isEqualTo(Mode.SLEEP);

        JsonNode on = call("ascset", "0,softon,1:" + clock.instant().getEpochSecond());
        assertThat(msg(on)).startsWith("ASC 0 set info: success softon:");
        assertThat(model.mode()).isEqualTo(Mode.NORMAL);
        assertThat(key(mm(), "SoftOFF")).isEqualTo("0");
    }

    @Test
    void worklevel_setsTheModelsPowerTarget_andMpoShowsIt() {
        JsonNode reply = call("ascset", "0,worklevel,set,0");

        assertThat(status(reply)).isEqualTo("S");
        assertThat(msg(reply)).isEqualTo("ASC 0 set OK");
        assertThat(model.powerTargetWatts()).isEqualTo(2810.0);
        assertThat(key(mm(), "MPO")).isEqualTo("2810");
        assertThat(key(mm(), "WORKLEVEL")).isEqualTo("0");
        clock.advance(Duration.ofMinutes(2));
        assertThat(Double.parseDouble(key(mm(), "WALLPOWER"))).isCloseTo(2810.0, within(2810.0 * 0.02));
    }

    @Test
    void led_onAndOff_showInTheStatusString() {
        assertThat(msg(call("ascset", "0,led,1-1"))).isEqualTo("ASC 0 set OK");
        assertThat(key(mm(), "Led")).isEqualTo("1");
        call("ascset", "0,led,1-0");
        assertThat(key(mm(), "Led")).isEqualTo("0");
    }

    @Test
    void restart_answersRestart_thenIsSilentForTheRebootPeriod_thenBoots() {
        JsonNode reply = call("restart", null);

        assertThat(reply.path("STATUS").asText()).isEqualTo("RESTART");
        assertThat(call("version", null)).isNull();
        assertThat(rpc.rebooting()).isTrue();
        clock.advance(Duration.ofSeconds(59));
        assertThat(call("estats", null)).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(call("version", null))).isEqualTo("S");
        assertThat(model.powered()).isTrue();
    }

    @Test
    void restart_ofASoftOffUnit_comesBackSoftOff() {
        call("ascset", "0,softoff,1:" + T0.getEpochSecond());
        call("restart", null);
        clock.advance(Duration.ofSeconds(61));

        assertThat(key(mm(), "SoftOFF")).isEqualTo("4");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ",",
                "1,softoff,1:5",
                "0",
                "0,",
                "0,softoff",
                "0,softoff,1:",
                "0,softoff,2:1753434821",
                "0,softoff,1:-5",
                "0,softoff,1:99999999999999999999",
                "0,softon,1:abc",
                "0,worklevel,set",
                "0,worklevel,set,3",
                "0,worklevel,set,-1",
                "0,worklevel,set,1.5",
                "0,worklevel,get,1",
                "0,led,1-2",
                "0,led",
                "0,frobnicate,1",
                "0,\u0000\u00ff,\u2603"
            })
    void ascset_garbageParameters_areRefused_andNothingChanges(String parameter) {
        JsonNode reply = call("ascset", parameter);

        assertThat(status(reply)).as(parameter).isEqualTo("E");
        assertThat(reply.path("STATUS").path(0).path("Code").asInt()).isEqualTo(AvalonRpc.CODE_ASC_ERROR);
        assertThat(msg(reply)).hasSizeLessThan(120);
        assertThat(model.mode()).isEqualTo(Mode.NORMAL);
        assertThat(model.powerTargetWatts()).isEqualTo(3515.0);
        assertThat(rpc.led()).isFalse();
    }

    @Test
    void oversizeParameter_isRefusedWithAShortMessage() {
        JsonNode reply = call("ascset", "0,softoff,1:" + "9".repeat(60_000));

        assertThat(status(reply)).isEqualTo("E");
        assertThat(msg(reply)).hasSizeLessThan(120);
    }

    @Test
    void unknownCommand_isInvalidCommand() {
        JsonNode reply = call("frobnicate", null);

        assertThat(status(reply)).isEqualTo("E");
        assertThat(reply.path("STATUS").path(0).path("Code").asInt()).isEqualTo(14);
    }

    @Test
    void help_listsTheOptions_likeTheCapture() {
        assertThat(msg(call("ascset", "0,help")))
                .startsWith("ASC 0 set info: help|voltage|")
                .contains("|softoff|");
    }

    @Test
    void nonFiniteOption_emitsInfAndNanStrings() {
        AvalonRpc quirky = new AvalonRpc(
                model,
                MinerIdentity.generate(3, 0),
                clock,
                AvalonRpc.Options.defaults().withNonFiniteValues(true));
        JsonNode stats = quirky.handle("{\"command\":\"estats\"}").path("STATS").path(0);

        String mm = stats.path("MM ID0").asText();
        assertThat(key(mm, "Temp")).isEqualTo("nan");
        assertThat(key(mm, "GHSmm")).isEqualTo("inf");
        assertThat(stats.path("Voltage Level Offset").asText()).isEqualTo("nan");
    }

    @Test
    void silentSoftOnOption_answersSoftOnWithNothing_butStillWakes() {
        AvalonRpc silent = new AvalonRpc(
                model,
                MinerIdentity.generate(3, 0),
                clock,
                AvalonRpc.Options.defaults().withSilentSoftOn(true));
        model.sleep();

        assertThat(silent.handle("{\"command\":\"ascset\",\"parameter\":\"0,softon,1:" + T0.getEpochSecond() + "\"}"))
                .isNull();
        assertThat(model.mode()).isEqualTo(Mode.NORMAL);
    }
}
