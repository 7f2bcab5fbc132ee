package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Avalon MM ID0 status-string parser and the readings mapped from it. */
class AvalonStatusTest {

    private static final Path CASES = Path.of(
            System.getProperty("basedir", System.getProperty("user.dir")),
            "..",
            "firmware-profiles/src/test/resources/cases/canaan/avalon-a1566");
    private static final AvalonPoints POINTS =
            new AvalonPoints("estats", Map.of("0", Mode.LOW_POWER, "1", Mode.NORMAL, "2", Mode.HIGH_POWER));

    private static String capture() throws Exception {
        JsonNode estats = new ObjectMapper()
                .readTree(CASES.resolve("pyasic-24102401/estats.json").toFile());
        return estats.path("STATS").path(0).path("MM ID0").asText();
    }

    @Test
    void capture_parsesEveryKeyInOrder_withSpacesAndCommasInsideValues() throws Exception {
        AvalonStatus s = AvalonStatus.parse(capture());

        assertThat(s.values().keySet()).startsWith("Ver", "DNA", "MEMFREE", "NETFAIL", "SYSTEMSTATU");
        assertThat(s.text("SYSTEMSTATU")).hasValue("Work: In Work, Hash Board: 3");
        assertThat(s.number("WALLPOWER")).hasValue(3731);
        assertThat(s.number("FanR")).hasValue(49);
        assertThat(s.numbers("MGHS")).containsExactly(59459.52, 61407.83, 63139.66);
        assertThat(s.numbers("PVT_T0")).hasSize(160);
        assertThat(s.text("ATAOPTS0"))
                .hasValue("--avalon10-freq 240:258:279:300 --avalon10-voltage-level 1180 --hash-asic 160");
        assertThat(s.text("FACOPTS0")).hasValue("");
        assertThat(s.number("WORKMODE")).hasValue(1);
    }

    @Test
    void capture_mapsToTheProfilesReadings() throws Exception {
        List<Reading> readings = AvalonReadings.readAll(AvalonStatus.parse(capture()), POINTS);

        assertThat(readings)
                .extracting(r -> r.metric() + "/" + r.instance() + "=" + r.value())
                .contains(
                        "power/=3731.0",
                        "power.target/=3515.0",
                        "hashrate/=199.24107",
                        "hashrate/board1=59.45952",
                        "temperature.chip/=78.0",
                        "temperature.chip/board3=77.0",
                        "temperature.inlet/=31.0",
                        "fan.speed/fan1=4275.0",
                        "mode/=1.0");
    }

    @Test
    void avalonQ_wrapperAndKeysWithSpaces_areRead() throws Exception {
        AvalonStatus s = AvalonStatus.parse(
                "'STATS':{Ver[Q-25052801_14a19a2] ITemp[26] SoftOFF[4] WORKMODE[0] MPO[800] Nonce Mask[25]}");

        assertThat(s.number("Nonce Mask")).hasValue(25);
        assertThat(s.number("MPO")).hasValue(800);
        assertThat(AvalonReadings.mode(s, POINTS)).hasValue(Mode.SLEEP);
        assertThat(AvalonReadings.readAll(s, POINTS))
                .extracting(r -> r.metric() + "=" + r.value())
                .contains("temperature.inlet=26.0", "power.target=800.0", "mode=0.0");
    }

    @Test
    void nestedBrackets_belongToTheirValue() throws Exception {
        AvalonStatus s = AvalonStatus.parse("A[x[1] y[2]] B[3]");

        assertThat(s.text("A")).hasValue("x[1] y[2]");
        assertThat(s.number("B")).hasValue(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inf", "-inf", "nan", "NaN", "INF", "inf%", "nan%", "+Inf", "", "12abc", "1 2", "0x10"})
    void nonFiniteOrNonNumericValues_areMissing_neverNumbers(String value) throws Exception {
        AvalonStatus s = AvalonStatus.parse("GHSspd[" + value + "] GHSavg[184007.00]");

        assertThat(s.number("GHSspd")).isEqualTo(OptionalDouble.empty());
        assertThat(AvalonReadings.readAll(s, POINTS))
                .extracting(r -> r.metric() + "=" + r.value())
                .containsExactly("hashrate=184.007");
    }

    @Test
    void arraysWithNonFiniteElements_keepTheirPositions() throws Exception {
        AvalonStatus s = AvalonStatus.parse("MTmax[77 nan 76] MGHS[1000 inf]");

        assertThat(s.numbers("MTmax")).containsExactly(77.0, Double.NaN, 76.0);
        assertThat(AvalonReadings.readAll(s, POINTS))
                .extracting(r -> r.metric() + "/" + r.instance())
                .containsExactly("hashrate/board1", "temperature.chip/board1", "temperature.chip/board3");
    }

    @Test
    void duplicateKeys_theFirstWins() throws Exception {
        assertThat(AvalonStatus.parse("Led[1] Led[0]").text("Led")).hasValue("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Temp[31] TMax[7", "Temp[31] TMa", "A[x[1] y[2]", "'STATS':{Temp[31]", "Temp[31] FanR[49%"})
    void truncatedStrings_areRefusedAsTruncated_namingWhere(String text) {
        AvalonStatusException e = catchThrowableOfType(AvalonStatusException.class, () -> AvalonStatus.parse(text));

        assertThat(e).as(text).isNotNull();
        assertThat(e.truncated()).isTrue();
        assertThat(e.getMessage()).containsAnyOf("inside the value of", "inside key", "before the '}'");
    }

    @Test
    void truncatedValue_namesItsKey() {
        AvalonStatusException e =
                catchThrowableOfType(AvalonStatusException.class, () -> AvalonStatus.parse("Temp[31] FanR[49%"));

        assertThat(e.getMessage()).isEqualTo("status string ends inside the value of FanR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Temp[31]] TMax[7]", "[31]", "Temp[31] } TMax[7]", "Temp[31] {x}[1]"})
    void malformedStrings_areRefused_notTruncated(String text) {
        AvalonStatusException e = catchThrowableOfType(AvalonStatusException.class, () -> AvalonStatus.parse(text));

        assertThat(e).as(text).isNotNull();
        assertThat(e.truncated()).isFalse();
    }

    @Test
    void overlongKey_isRefused() {
        assertThat(catchThrowableOfType(AvalonStatusException.class, () -> AvalonStatus.parse("x".repeat(100) + "[1]")))
                .isNotNull();
    }

    @Test
    void emptyString_hasNoKeys_andHugeStringsParse() throws Exception {
        assertThat(AvalonStatus.parse("  ").values()).isEmpty();
        String huge = "PVT[" + "65 ".repeat(200_000) + "] WALLPOWER[3000]";
        assertThat(AvalonStatus.parse(huge).number("WALLPOWER")).hasValue(3000);
    }

    @Test
    void softOff_isSleep_andAnUnknownWorkModeIsNoMode() throws Exception {
        assertThat(AvalonReadings.mode(AvalonStatus.parse("SoftOFF[1] WORKMODE[1]"), POINTS))
                .hasValue(Mode.SLEEP);
        assertThat(AvalonReadings.mode(AvalonStatus.parse("SoftOFF[0] WORKMODE[0]"), POINTS))
                .hasValue(Mode.LOW_POWER);
        assertThat(AvalonReadings.mode(AvalonStatus.parse("SoftOFF[0] WORKMODE[7]"), POINTS))
                .isEmpty();
        assertThat(AvalonReadings.mode(AvalonStatus.parse("SoftOFF[nan]"), POINTS))
                .isEmpty();
        assertThat(AvalonReadings.mode(AvalonStatus.parse("SoftOFF[0]"), POINTS))
                .hasValue(Mode.NORMAL);
    }

    @Test
    void statusIsFoundUnderMmId0OrItsSummaryVariant_andAbsentOtherwise() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(AvalonReadings.status(json.readTree("{\"STATS\":[{\"ID\":\"AVA10\"},{\"MM ID0\":\"Led[1]\"}]}")))
                .hasValueSatisfying(s -> assertThat(s.text("Led")).hasValue("1"));
        assertThat(AvalonReadings.status(json.readTree("{\"STATS\":[{\"MM ID0:Summary\":\"'STATS':{Led[0]}\"}]}")))
                .hasValueSatisfying(s -> assertThat(s.text("Led")).hasValue("0"));
        assertThat(AvalonReadings.status(json.readTree("{\"STATS\":[{\"MM ID0\":5}]}")))
                .isEmpty();
        assertThat(AvalonReadings.status(json.readTree("{\"STATS\":{}}"))).isEmpty();
        assertThat(Files.exists(CASES)).isTrue();
    }
}
