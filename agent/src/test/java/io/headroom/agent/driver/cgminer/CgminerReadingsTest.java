package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shapes the golden captures do not cover: hostile keys, other units, newer field names, fan rules. */
class CgminerReadingsTest {

    private static final CgminerPoints STOCK =
            TestDevices.cgminerProfile("antminer/bmminer").points();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Reading> stats(String entry) throws Exception {
        JsonNode stats = JSON.readTree("{\"STATUS\":[{\"STATUS\":\"S\"}],\"STATS\":[{\"Type\":\"x\"}," + entry + "]}");
        return CgminerReadings.read(STOCK, Map.of("stats", stats));
    }

    private static Map<String, Double> byKey(List<Reading> readings) {
        return readings.stream()
                .collect(java.util.stream.Collectors.toMap(
                        r -> MetricDictionary.displayKey(r.metric(), r.instance()), Reading::value));
    }

    @Test
    void read_hugeIndexesAndValues_areIgnoredNotThrown() throws Exception {
        List<Reading> readings = stats("{\"chain_rate99999999999999\":\"5\",\"fan12345678901\":1,\"GHS 5s\":1e308,"
                + "\"rate_unit\":\"TH\",\"chain_acn1\":3,\"chain_rate1\":1e308}");

        assertThat(byKey(readings)).containsOnlyKeys("hashrate", "hashrate[board1]");
        assertThat(readings).allMatch(r -> r.quality().name().equals("QUALITY_UNCERTAIN"));
    }

    @Test
    void read_megahashUnit_isScaledToTerahash() throws Exception {
        assertThat(byKey(stats("{\"GHS 5s\":14000000,\"rate_unit\":\"MH\"}"))).containsEntry("hashrate", 14.0);
    }

    @Test
    void read_unknownRateUnit_givesNoHashrate() throws Exception {
        assertThat(byKey(stats("{\"GHS 5s\":140,\"rate_unit\":\"PH\"}"))).doesNotContainKey("hashrate");
    }

    @Test
    void read_newerSplitTemperatureNames_andNumericChainRate() throws Exception {
        Map<String, Double> values = byKey(stats("{\"chain_acn1\":114,\"chain_rate1\":37603.3,"
                + "\"temp_in_chip_1\":\"60-61-62-63\",\"temp_out_chip_1\":\"70-71-72-79\","
                + "\"temp_in_pcb_1\":\"40-41-42-43\",\"temp_out_pcb_1\":\"50-51-52-55\"}"));

        assertThat(values.get("hashrate[board1]")).isCloseTo(37.6033, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(values)
                .containsEntry("temperature.chip[board1]", 79.0)
                .containsEntry("temperature.board[board1]", 55.0);
    }

    @Test
    void read_stoppedFanWithinFanNum_isReportedAsZero() throws Exception {
        Map<String, Double> values =
                byKey(stats("{\"fan_num\":4,\"fan1\":6000,\"fan2\":0,\"fan3\":6000,\"fan4\":6000}"));

        assertThat(values).containsEntry("fan.speed[fan2]", 0.0).hasSize(4);
    }

    @Test
    void read_emptyFanSlotsBeyondFanNum_areSkipped() throws Exception {
        Map<String, Double> values = byKey(stats("{\"fan_num\":2,\"fan1\":0,\"fan2\":0,\"fan3\":5000,\"fan4\":5100}"));

        assertThat(values).containsOnlyKeys("fan.speed[fan3]", "fan.speed[fan4]");
    }

    @Test
    void read_chainPowerText_isPower() throws Exception {
        assertThat(byKey(stats("{\"chain_power\":\"3250 W\"}"))).containsEntry("power", 3250.0);
    }

    @Test
    void read_boardWithChipsButNoHashrate_isStillABoard() throws Exception {
        Map<String, Double> values = byKey(stats("{\"chain_acn2\":76,\"chain_rate2\":\"\",\"temp_chip2\":\"0-0-0-0\","
                + "\"temp_pcb2\":\"45-46-47-48\"}"));

        assertThat(values).containsOnlyKeys("temperature.board[board2]", "temperature.board");
    }
}
