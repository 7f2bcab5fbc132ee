package io.headroom.agent.driver.braiins;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the real 26.04 capture becomes when its fields are changed one at a time: recent errors, a status that is
 * not mining, dead pools, a disabled board. The capture is the golden case's; each test edits one body.
 */
class BraiinsReadingsTest {

    private static final Path CASE = GoldenCasesTest.casesRoot().resolve("braiins/antminer-s21-pro/bos-26.04");
    /** One minute after the latest entry of the capture's miner_errors.json. */
    private static final Instant AFTER_LATEST_ERROR = Instant.parse("2026-04-08T08:17:48Z");

    private static Map<String, String> capture() throws IOException {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String endpoint : BraiinsDriver.POLL_READS) {
            raw.put(
                    endpoint,
                    Files.readString(CASE.resolve(BraiinsGoldenCaseRunner.file(endpoint)), StandardCharsets.UTF_8));
        }
        return raw;
    }

    private static PollResult interpret(Instant at, Map<String, String> raw) {
        return BraiinsDriver.interpretRaw(
                at, (BraiinsProfile) TestDevices.PROFILES.compiled("braiins/braiins-os"), raw);
    }

    @Test
    void errorsYoungerThanTheHorizon_degradeThePoll_quotingTheLatest() throws IOException {
        PollResult result = interpret(AFTER_LATEST_ERROR, capture());

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("device-status");
        assertThat(result.message()).contains("in the last 10 min", "latest at 2026-04-08T08:16:48.007413Z");
        assertThat(result.readings()).isNotEmpty();
    }

    @Test
    void errorsOlderThanTheHorizon_areHistory() throws IOException {
        PollResult result = interpret(AFTER_LATEST_ERROR.plusSeconds(11 * 60), capture());

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void suspendedStatus_isADeviceFault_withoutAMode() throws IOException {
        Map<String, String> raw = capture();
        raw.put("miner/details", raw.get("miner/details").replace("\"status\": 2", "\"status\": 4"));

        PollResult result = interpret(Instant.EPOCH, raw);

        assertThat(result.reason()).isEqualTo("device-status");
        assertThat(result.message()).contains("suspended (4)");
        assertThat(result.readings()).noneMatch(r -> r.metric().equals("mode"));
    }

    @Test
    void pausedStatus_isModeSleep_andOnline() throws IOException {
        Map<String, String> raw = capture();
        raw.put("miner/details", raw.get("miner/details").replace("\"status\": 2", "\"status\": 3"));

        PollResult result = interpret(Instant.EPOCH, raw);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings()).anyMatch(r -> r.metric().equals("mode") && r.value() == 0);
    }

    @Test
    void noAlivePool_isADeviceFault() throws IOException {
        Map<String, String> raw = capture();
        raw.put("pools/", raw.get("pools/").replace("\"alive\": true", "\"alive\": false"));

        PollResult result = interpret(Instant.EPOCH, raw);

        assertThat(result.reason()).isEqualTo("device-status");
        assertThat(result.message()).contains("none of the 2 enabled pools is alive");
    }

    @Test
    void aDisabledBoard_reportsNothing() throws IOException {
        Map<String, String> raw = capture();
        raw.put(
                "miner/hw/hashboards",
                raw.get("miner/hw/hashboards").replaceFirst("\"enabled\": true", "\"enabled\": false"));

        PollResult result = interpret(Instant.EPOCH, raw);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings()).noneMatch(r -> r.instance().equals("board1"));
        assertThat(result.readings()).anyMatch(r -> r.instance().equals("board2"));
    }

    @Test
    void aNumberSentAsAString_isBadResponse_namingTheField() throws IOException {
        Map<String, String> raw = capture();
        String stats = raw.get("miner/stats");
        raw.put("miner/stats", stats.replaceFirst("\"watt\": (\\d+)", "\"watt\": \"$1\""));

        PollResult result = interpret(Instant.EPOCH, raw);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message())
                .isEqualTo("miner/stats: power_stats.approximated_consumption.watt is string, not a number");
        assertThat(result.readings()).noneMatch(r -> r.metric().equals("power"));
    }
}
