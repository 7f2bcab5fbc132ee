package io.headroom.controller.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.engine.CurtailedDevice;
import io.headroom.controller.engine.Curtailment;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceTriageTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final DeviceTriage PLAIN = new DeviceTriage(85, Map.of());

    /** An S19 XP as the LuxOS driver reports it: 3010 W and 140 TH/s nameplate. */
    private static final class Miner {
        final Map<String, MetricReading> metrics = new LinkedHashMap<>();
        DeviceState status = DeviceState.ONLINE;
        String reason = "";
        String message = "";
        String profile = "luxor/luxos";
        List<String> conflict = List.of();
        double ratedThs = 140;

        Miner() {
            put("power", 3000, "W");
            put("hashrate", 139, "TH/s");
            put("hashrate[board1]", 46.3, "TH/s");
            put("hashrate[board2]", 46.4, "TH/s");
            put("hashrate[board3]", 46.3, "TH/s");
            put("temperature.chip", 68, "°C");
            put("fan.speed[fan1]", 5400, "rpm");
            put("fan.speed[fan2]", 5460, "rpm");
            put("mode", 1, "");
        }

        Miner put(String key, double value, String unit) {
            return put(key, value, unit, Quality.QUALITY_GOOD);
        }

        Miner put(String key, double value, String unit, Quality quality) {
            metrics.put(key, new MetricReading(value, unit, T0, quality));
            return this;
        }

        DeviceView view() {
            return new DeviceView(
                    "m1",
                    "rack-1",
                    "miner",
                    "Antminer S19 XP",
                    profile,
                    "2025.4.8",
                    3010,
                    ratedThs,
                    status,
                    reason,
                    message,
                    T0,
                    metrics,
                    List.of(),
                    conflict,
                    null);
        }
    }

    @Test
    void aHealthyMinerAtItsNameplateHasNoFlag() {
        assertThat(PLAIN.flags(new Miner().view())).isEmpty();
    }

    @Test
    void hotAtTheThresholdWithTheReadingAndTheThresholdInTheReason() {
        Map<TriageFlag, String> flags = PLAIN.flags(
                new Miner().put("temperature.chip[board2]", 85, "°C").view());
        assertThat(flags).containsOnlyKeys(TriageFlag.HOT);
        assertThat(flags.get(TriageFlag.HOT)).isEqualTo("hottest chip 85.0 °C, at or above 85 °C");
        assertThat(PLAIN.flags(new Miner().put("temperature.chip", 84.9, "°C").view()))
                .doesNotContainKey(TriageFlag.HOT);
    }

    @Test
    void aBadReadingNeverRaisesAFlag() {
        Miner miner = new Miner()
                .put("temperature.chip", 149, "°C", Quality.QUALITY_BAD)
                .put("fan.speed[fan2]", 0, "rpm", Quality.QUALITY_BAD)
                .put("hashrate", 2, "TH/s", Quality.QUALITY_BAD);
        assertThat(PLAIN.flags(miner.view())).isEmpty();
    }

    @Test
    void offlineAndStaleSayTheReasonAndSince() {
        Miner offline = new Miner();
        offline.status = DeviceState.OFFLINE;
        offline.reason = "timeout";
        offline.message = "no answer within 5 s";
        assertThat(PLAIN.flags(offline.view()))
                .containsExactly(
                        Map.entry(TriageFlag.OFFLINE, "offline (timeout): no answer within 5 s since 10:00:00 UTC"));
        Miner stale = new Miner().put("temperature.chip", 99, "°C");
        stale.status = DeviceState.STALE;
        stale.reason = "agent-death";
        // A stale device's last readings are not judged: it is not hot on a reading that is no longer fresh.
        assertThat(PLAIN.flags(stale.view())).containsOnlyKeys(TriageFlag.STALE);
    }

    @Test
    void underHashingIsJudgedAgainstTheNameplateAtThePowerTarget() {
        // A third of the hashrate gone at full power: a dead board's worth.
        Map<TriageFlag, String> flags =
                PLAIN.flags(new Miner().put("hashrate", 93, "TH/s").view());
        assertThat(flags).containsKey(TriageFlag.UNDER_HASHING);
        assertThat(flags.get(TriageFlag.UNDER_HASHING))
                .isEqualTo("hashing 93.0 TH/s, 66 % of the 140.0 TH/s its nameplate gives at 3,010 W");
        // Capped at 2000 W it is expected to give 93 TH/s: not under-hashing.
        assertThat(PLAIN.flags(new Miner()
                        .put("power.target", 2000, "W")
                        .put("power", 1990, "W")
                        .put("hashrate", 93, "TH/s")
                        .view()))
                .doesNotContainKey(TriageFlag.UNDER_HASHING);
        // Just above the share at its cap is fine, just below is not.
        double expectedAtCap = 140.0 * 2000 / 3010;
        assertThat(PLAIN.flags(new Miner()
                        .put("power.target", 2000, "W")
                        .put("hashrate", DeviceTriage.UNDER_HASHING_SHARE * expectedAtCap - 0.1, "TH/s")
                        .view()))
                .containsKey(TriageFlag.UNDER_HASHING);
        // Without a rated hashrate nothing is said.
        Miner unrated = new Miner().put("hashrate", 10, "TH/s");
        unrated.ratedThs = 0;
        assertThat(PLAIN.flags(unrated.view())).doesNotContainKey(TriageFlag.UNDER_HASHING);
    }

    @Test
    void withoutARatedHashrate_underHashingIsJudgedAgainstTheMinersOwnAverage() {
        // LuxOS: no rated hashrate in its profile, the miner's own average since it started mining from SUMMARY.
        Miner failing = new Miner().put("hashrate", 93, "TH/s").put("hashrate.average", 139.5, "TH/s");
        failing.ratedThs = 0;
        assertThat(PLAIN.flags(failing.view()).get(TriageFlag.UNDER_HASHING))
                .isEqualTo("hashing 93.0 TH/s, 67 % of its own average of 139.5 TH/s since it started mining (no"
                        + " rated hashrate in its profile)");
        // Just above the share is fine; just below is not.
        Miner near = new Miner()
                .put("hashrate.average", 100, "TH/s")
                .put("hashrate", DeviceTriage.UNDER_HASHING_SHARE * 100 + 0.1, "TH/s");
        near.ratedThs = 0;
        assertThat(PLAIN.flags(near.view())).doesNotContainKey(TriageFlag.UNDER_HASHING);
        near.put("hashrate", DeviceTriage.UNDER_HASHING_SHARE * 100 - 0.1, "TH/s");
        assertThat(PLAIN.flags(near.view())).containsKey(TriageFlag.UNDER_HASHING);
        // Set well below its nameplate power, its average may come from another setting: not judged.
        failing.put("power.target", 2000, "W");
        assertThat(PLAIN.flags(failing.view())).doesNotContainKey(TriageFlag.UNDER_HASHING);
        failing.put("power.target", 3000, "W");
        assertThat(PLAIN.flags(failing.view())).containsKey(TriageFlag.UNDER_HASHING);
        // Held by the engine: not judged either.
        DeviceTriage holding = new DeviceTriage(
                85, Map.of("m1", new CurtailedDevice("m1", Curtailment.CAPPED, 2000, "rack-1 breaker", T0)));
        assertThat(holding.flags(failing.view())).doesNotContainKey(TriageFlag.UNDER_HASHING);
        // An average marked BAD, or none, says nothing.
        failing.put("hashrate.average", 139.5, "TH/s", Quality.QUALITY_BAD);
        assertThat(PLAIN.flags(failing.view())).doesNotContainKey(TriageFlag.UNDER_HASHING);
    }

    @Test
    void aSleepingMinerIsCurtailedNotUnderHashingNorFanFailed() {
        Map<TriageFlag, String> flags = PLAIN.flags(new Miner()
                .put("mode", 0, "")
                .put("power", 30, "W")
                .put("hashrate", 0, "TH/s")
                .put("hashrate[board1]", 0, "TH/s")
                .put("fan.speed[fan1]", 0, "rpm")
                .view());
        assertThat(flags).containsOnlyKeys(TriageFlag.CURTAILED);
        assertThat(flags.get(TriageFlag.CURTAILED)).startsWith("asleep as the device reports, not by the engine");
    }

    @Test
    void aStoppedFanWhileHashingIsNamed() {
        Map<TriageFlag, String> flags =
                PLAIN.flags(new Miner().put("fan.speed[fan2]", 0, "rpm").view());
        assertThat(flags).containsExactly(Map.entry(TriageFlag.FAN_FAILED, "fan2 at 0 rpm while the device works"));
        // A device that reports no fans (immersion) is never fan-failed.
        Miner immersed = new Miner();
        immersed.metrics.remove("fan.speed[fan1]");
        immersed.metrics.remove("fan.speed[fan2]");
        assertThat(PLAIN.flags(immersed.view())).isEmpty();
    }

    @Test
    void aDeadBoardIsNamedBesideTheBestOne() {
        Map<TriageFlag, String> flags = PLAIN.flags(new Miner()
                .put("hashrate[board2]", 0, "TH/s")
                .put("hashrate", 92.6, "TH/s")
                .put("power", 2010, "W")
                .view());
        assertThat(flags.get(TriageFlag.BOARD_FAILED))
                .isEqualTo("board2 hashing 0.0 TH/s while board1 hashes 46.3 TH/s");
        assertThat(flags).containsKey(TriageFlag.UNDER_HASHING);
    }

    @Test
    void misconfiguredForAnIdConflictOrAnUnidentifiedDevice() {
        Miner conflict = new Miner();
        conflict.conflict = List.of("rack-1", "rack-7");
        assertThat(PLAIN.flags(conflict.view()).get(TriageFlag.MISCONFIGURED))
                .isEqualTo("device id claimed by agents rack-1, rack-7;"
                        + " commands are refused until one of them stops reporting it");
        Miner unknown = new Miner();
        unknown.status = DeviceState.OFFLINE;
        unknown.reason = "unidentified";
        unknown.message = "firmware 'bOS 19.1' is in no profile";
        unknown.profile = "";
        assertThat(PLAIN.flags(unknown.view()))
                .containsOnlyKeys(TriageFlag.OFFLINE, TriageFlag.MISCONFIGURED)
                .containsEntry(
                        TriageFlag.MISCONFIGURED,
                        "it answers but matches no firmware profile: firmware 'bOS 19.1' is in no profile");
    }

    @Test
    void theEngineSaysWhatItCurtailedForAndSince() {
        Instant since = Instant.parse("2026-12-02T09:58:00Z");
        DeviceView miner = new Miner().put("mode", 0, "").view();
        assertThat(new DeviceTriage(
                                85,
                                Map.of("m1", new CurtailedDevice("m1", Curtailment.ASLEEP, Double.NaN, "ge-7", since)))
                        .flags(miner)
                        .get(TriageFlag.CURTAILED))
                .isEqualTo("asleep by the engine for grid event ge-7 since 09:58:00 UTC");
        assertThat(new DeviceTriage(85, Map.of("m1", new CurtailedDevice("m1", Curtailment.CAPPED, 2400, null, null)))
                        .flags(new Miner().view())
                        .get(TriageFlag.CURTAILED))
                .isEqualTo("capped at 2,400 W by the engine for a limit of the site tree or a market strike");
        assertThat(new DeviceTriage(
                                85,
                                Map.of(
                                        "m1",
                                        new CurtailedDevice("m1", Curtailment.OUTLET_OFF, Double.NaN, "rsv-r3", since)))
                        .flags(new Miner().view())
                        .get(TriageFlag.CURTAILED))
                .isEqualTo("its outlet switched off by the engine for reservation r3 since 09:58:00 UTC");
    }

    @Test
    void flagNamesRoundTripAndUnknownNamesAreEmpty() {
        for (TriageFlag flag : TriageFlag.values()) {
            assertThat(TriageFlag.parse(flag.wireName())).contains(flag);
        }
        assertThat(TriageFlag.UNDER_HASHING.wireName()).isEqualTo("under-hashing");
        assertThat(TriageFlag.parse("HOT")).isEmpty();
    }
}
