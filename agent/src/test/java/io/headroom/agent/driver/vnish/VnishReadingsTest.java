package io.headroom.agent.driver.vnish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the real Vnish 1.2.7 capture becomes when its fields are changed one at a time (a stopped miner, a failed
 * state, a null miner, wrong types, hashrate in another unit), and its autotune preset list as power targets. The
 * capture is the golden case's; each test edits one body.
 */
class VnishReadingsTest {

    private static final Path CASE = GoldenCasesTest.casesRoot().resolve("vnish/antminer-s21-pro/vnish-1.2.7");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> capture() throws IOException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String endpoint : VnishDriver.POLL_READS) {
            raw.put(
                    endpoint,
                    Files.readString(CASE.resolve(VnishGoldenCaseRunner.file(endpoint)), StandardCharsets.UTF_8));
        }
        return raw;
    }

    private static PollResult interpret(Map<String, String> raw) {
        return VnishDriver.interpretRaw(
                Instant.EPOCH, (VnishProfile) TestDevices.PROFILES.compiled("vnish/vnish"), raw);
    }

    private static Optional<Reading> reading(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .findFirst();
    }

    @Test
    void stoppedMiner_isModeSleep_andOnline() throws IOException {
        Map<String, String> raw = capture();
        raw.put("summary", raw.get("summary").replace("\"auto-tuning\"", "\"stopped\""));

        PollResult result = interpret(raw);

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(reading(result, "mode", ""))
                .hasValueSatisfying(r -> assertThat(r.value()).isEqualTo(Mode.SLEEP.code()));
    }

    @Test
    void failureState_isDegradedDeviceStatus_quotingTheFirmware() throws IOException {
        Map<String, String> raw = capture();
        raw.put(
                "summary",
                raw.get("summary")
                        .replace(
                                "\"miner_state\":\"auto-tuning\"",
                                "\"miner_state\":\"failure\",\"failure_code\":7,\"description\":\"PSU overheat\""));

        PollResult result = interpret(raw);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("device-status");
        assertThat(result.message()).contains("miner state failure (code 7): PSU overheat");
        assertThat(reading(result, "mode", "")).isEmpty();
        assertThat(reading(result, "power", "")).isPresent();
    }

    @Test
    void nullMiner_whileStarting_isDegraded_notMalformed() throws IOException {
        Map<String, String> raw = capture();
        raw.put("summary", "{\"miner\":null}");

        PollResult result = interpret(raw);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("device-status");
        assertThat(result.message()).contains("summary.miner is null");
    }

    @Test
    void numberAsString_isBadResponse_namingTheField() throws IOException {
        Map<String, String> raw = capture();
        raw.put("summary", raw.get("summary").replace("\"power_consumption\":2583", "\"power_consumption\":\"2583\""));

        PollResult result = interpret(raw);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("summary.miner: power_consumption is string, not a number");
        assertThat(reading(result, "power", "")).isEmpty();
        assertThat(reading(result, "hashrate", "")).isPresent();
    }

    @Test
    void unknownHashrateUnit_isBadResponse_andNoHashrateIsGuessed() throws IOException {
        Map<String, String> raw = capture();
        raw.put("info", raw.get("info").replace("\"GH/s\"", "\"KSol/s\""));

        PollResult result = interpret(raw);

        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("hr_measure 'KSol/s'");
        assertThat(result.readings()).noneMatch(r -> r.metric().equals("hashrate"));
    }

    @Test
    void powerWithoutPsuMetering_isUncertain() throws IOException {
        Map<String, String> raw = capture();
        raw.put("summary", raw.get("summary").replace("\"psu_power_metering\":true", "\"psu_power_metering\":false"));

        PollResult result = interpret(raw);

        assertThat(reading(result, "power", ""))
                .hasValueSatisfying(r -> assertThat(r.quality()).isEqualTo(Quality.QUALITY_UNCERTAIN));
    }

    @Test
    void manualOverclock_hasNoPowerTarget() throws IOException {
        Map<String, String> raw = capture();
        raw.put("perf-summary", raw.get("perf-summary").replace("\"name\":\"2800\"", "\"name\":\"disabled\""));

        PollResult result = interpret(raw);

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(reading(result, "power.target", "")).isEmpty();
    }

    @Test
    void realPresetList_hasNoTunedPreset_soNothingIsSelectable_unlessUntunedAreAllowed() throws Exception {
        JsonNode list = JSON.readTree(CASE.resolve("autotune_presets.json").toFile());

        VnishPresets refuse = VnishPresets.parse(list, false);
        VnishPresets allow = VnishPresets.parse(list, true);

        assertThat(refuse.all()).hasSize(25).allMatch(p -> !p.tuned());
        assertThat(refuse.all().get(0).watts()).isEqualTo(2550);
        assertThat(refuse.selectable()).isEmpty();
        assertThat(refuse.listed(3160)).isPresent();
        assertThat(allow.exact(3160)).isPresent();
        assertThat(allow.exact(3000)).isEmpty();
        assertThat(allow.nearest(3000)).isEqualTo("2980 W (below) and 3070 W (above)");
        assertThat(allow.nearest(5000)).isEqualTo("4690 W (below)");
    }

    @Test
    void presetListOfTheWrongShape_isBadResponse() throws Exception {
        assertThatThrownBy(() -> VnishPresets.parse(JSON.readTree("{\"presets\":[]}"), false))
                .isInstanceOf(VnishException.class)
                .hasMessageContaining("not an array");
        assertThatThrownBy(() -> VnishPresets.parse(JSON.readTree("[{\"name\":3160,\"status\":\"tuned\"}]"), false))
                .isInstanceOf(VnishException.class)
                .hasMessageContaining("without a textual name");
    }
}
