package io.headroom.simulator.miner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headroom.protocol.Mode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MinerModelTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    private static MinerModel s19xp(long seed) {
        return new MinerModel(MinerSpec.S19_XP, seed, 25.0, T0);
    }

    private static void run(MinerModel model, Duration d) {
        model.advanceTo(model.now().plus(d));
    }

    @Test
    void steadyState_mining_valuesInS19XpRanges() {
        MinerModel model = s19xp(1);
        run(model, Duration.ofMinutes(10));
        MinerSnapshot s = model.snapshot();

        assertThat(s.mode()).isEqualTo(Mode.NORMAL);
        assertThat(s.powerWatts()).isCloseTo(3010, within(3010 * 0.01));
        assertThat(s.hashrateThs()).isCloseTo(140, within(140 * 0.02));
        assertThat(s.boards()).hasSize(3);
        assertThat(s.boards().stream().mapToDouble(BoardSnapshot::hashrateThs).sum())
                .isCloseTo(s.hashrateThs(), within(1e-9));
        assertThat(s.chipTempsC()).allSatisfy(t -> assertThat(t).isBetween(65, 72));
        assertThat(s.maxChipTempC()).isCloseTo(68, within(2));
        for (BoardSnapshot board : s.boards()) {
            assertThat(board.maxPcbTempC()).isBetween(board.maxChipTempC() - 8, board.maxChipTempC() - 2);
        }
        assertThat(s.fanRpms()).hasSize(4).allSatisfy(rpm -> assertThat(rpm).isBetween(3000, 6000));
        assertThat(s.ramping()).isFalse();
    }

    @Test
    void failBoard_itReadsZeroAndTheTotalFallsByItsShare_atTheSamePower_untilRepaired() {
        MinerModel model = s19xp(3);
        run(model, Duration.ofMinutes(5));
        double before = model.snapshot().hashrateThs();
        model.failBoard(1);
        run(model, Duration.ofSeconds(10));
        MinerSnapshot failed = model.snapshot();
        assertThat(failed.boards().get(1).hashrateThs()).isZero();
        assertThat(failed.boards().get(0).hashrateThs()).isCloseTo(before / 3, within(before * 0.03));
        assertThat(failed.hashrateThs()).isCloseTo(before * 2 / 3, within(before * 0.03));
        assertThat(failed.boards().stream()
                        .mapToDouble(BoardSnapshot::hashrateThs)
                        .sum())
                .isCloseTo(failed.hashrateThs(), within(1e-9));
        assertThat(failed.powerWatts()).isCloseTo(3010, within(3010 * 0.01));
        model.repairBoard(1);
        run(model, Duration.ofSeconds(10));
        assertThat(model.snapshot().hashrateThs()).isCloseTo(before, within(before * 0.03));
        assertThatThrownBy(() -> model.failBoard(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void cutPower_dropsDrawHashrateAndFansToZeroAtOnce_andTheChipsCoolToTheInlet() {
        MinerModel model = s19xp(2);
        run(model, Duration.ofMinutes(5));
        model.cutPower();
        assertThat(model.snapshot().powerWatts()).isZero();
        run(model, Duration.ofMinutes(30));
        MinerSnapshot s = model.snapshot();
        assertThat(model.powered()).isFalse();
        assertThat(s.powerWatts()).isZero();
        assertThat(s.hashrateThs()).isZero();
        assertThat(s.fanRpms()).allSatisfy(rpm -> assertThat(rpm).isZero());
        assertThat(s.maxChipTempC()).isCloseTo(25, within(1));
    }

    @Test
    void restorePower_bootsAtSleepPowerForTheBootDelay_thenMines() {
        MinerModel model = s19xp(3);
        run(model, Duration.ofMinutes(5));
        model.cutPower();
        run(model, Duration.ofMinutes(1));
        double energyWhileOff = model.snapshot().energyKwh();
        model.restorePower(Duration.ofSeconds(60));
        run(model, Duration.ofSeconds(59));
        assertThat(model.snapshot().hashrateThs()).as("still booting").isZero();
        assertThat(model.snapshot().powerWatts())
                .isCloseTo(MinerSpec.S19_XP.sleepWatts(), within(MinerSpec.S19_XP.sleepWatts() * 0.05));
        run(model, Duration.ofMinutes(5));
        assertThat(model.snapshot().hashrateThs()).isCloseTo(140, within(140 * 0.03));
        assertThat(model.snapshot().energyKwh()).isGreaterThan(energyWhileOff);
        model.restorePower(Duration.ofSeconds(60));
        assertThat(model.snapshot().hashrateThs())
                .as("restoring a powered miner does nothing")
                .isGreaterThan(100);
    }

    @Test
    void sleep_afterOneRampTimeConstant_powerHasFallen63Percent() {
        MinerModel model = s19xp(2);
        run(model, Duration.ofSeconds(30));
        double before = model.snapshot().powerWatts();

        model.sleep();
        run(model, MinerSpec.S19_XP.rampDown());
        double afterOneTau = model.snapshot().powerWatts();

        double expected = 30 + (before - 30) * Math.exp(-1);
        assertThat(afterOneTau).isCloseTo(expected, within(expected * 0.01));
        assertThat((before - afterOneTau) / (before - 30)).isCloseTo(0.632, within(0.01));
        assertThat(model.snapshot().hashrateThs()).isZero();
        assertThat(model.snapshot().mode()).isEqualTo(Mode.SLEEP);

        run(model, Duration.ofMinutes(2));
        assertThat(model.snapshot().powerWatts()).isCloseTo(30, within(0.5));
    }

    @Test
    void sleep_temperatureLagsPower() {
        MinerModel model = s19xp(3);
        run(model, Duration.ofMinutes(5));
        MinerSnapshot before = model.snapshot();

        model.sleep();
        run(model, Duration.ofSeconds(10));
        MinerSnapshot after = model.snapshot();

        double powerFall = (before.powerWatts() - after.powerWatts()) / (before.powerWatts() - 30);
        double chipRiseBefore = before.maxChipTempC() - 25.0;
        double tempFall = (before.maxChipTempC() - after.maxChipTempC()) / chipRiseBefore;
        assertThat(powerFall).isGreaterThan(0.8);
        assertThat(tempFall).isBetween(0.0, 0.3);

        run(model, Duration.ofMinutes(10));
        assertThat(model.snapshot().maxChipTempC()).isBetween(25, 27);
        assertThat(model.snapshot().fanRpms()).allSatisfy(rpm -> assertThat(rpm).isLessThan(2500));
    }

    @Test
    void wakeUp_bootsThenRampsUpWithTheUpTimeConstant() {
        MinerSpec spec = MinerSpec.S19_XP.withWakeDelay(Duration.ofSeconds(10)).withNoise(0, 0);
        MinerModel model = new MinerModel(spec, 4, 25.0, T0);
        model.sleep();
        run(model, Duration.ofMinutes(5));

        model.wakeUp();
        run(model, Duration.ofSeconds(9));
        assertThat(model.snapshot().powerWatts()).isCloseTo(30, within(1.0));
        assertThat(model.snapshot().hashrateThs()).isZero();
        assertThat(model.snapshot().ramping()).isTrue();
        assertThat(model.snapshot().mode()).isEqualTo(Mode.NORMAL);

        run(model, Duration.ofSeconds(1).plus(spec.rampUp()));
        double expected = 3010 - (3010 - 30) * Math.exp(-1);
        assertThat(model.snapshot().powerWatts()).isCloseTo(expected, within(expected * 0.01));
    }

    @Test
    void hashrate_isProportionalToPowerAboveTheSleepFloor() {
        MinerSpec spec = MinerSpec.S19_XP.withNoise(0, 0);
        MinerModel model = new MinerModel(spec, 5, 25.0, T0);
        MinerSnapshot full = model.snapshot();

        model.setPowerTargetWatts(2000);
        run(model, Duration.ofMinutes(2));
        MinerSnapshot reduced = model.snapshot();

        double perWattFull = full.hashrateThs() / (full.powerWatts() - 30);
        double perWattReduced = reduced.hashrateThs() / (reduced.powerWatts() - 30);
        assertThat(reduced.powerWatts()).isCloseTo(2000, within(1.0));
        assertThat(perWattReduced).isCloseTo(perWattFull, within(perWattFull * 1e-6));
        assertThat(full.hashrateThs()).isCloseTo(140, within(0.01));
        assertThat(reduced.maxChipTempC()).isLessThan(full.maxChipTempC());
    }

    @Test
    void sameSeedAndSteps_giveIdenticalSnapshots() {
        MinerModel a = s19xp(42);
        MinerModel b = s19xp(42);
        for (MinerModel m : new MinerModel[] {a, b}) {
            run(m, Duration.ofSeconds(17));
            m.sleep();
            run(m, Duration.ofSeconds(3));
            m.wakeUp();
            run(m, Duration.ofSeconds(40));
        }
        assertThat(a.snapshot()).isEqualTo(b.snapshot());
        MinerModel other = s19xp(43);
        run(other, Duration.ofSeconds(60));
        assertThat(other.snapshot().powerWatts()).isNotEqualTo(a.snapshot().powerWatts());
    }

    @Test
    void advanceTo_inAlignedChunks_matchesOneBigAdvance() {
        MinerModel once = s19xp(7);
        MinerModel chunked = s19xp(7);
        once.advanceTo(T0.plus(Duration.ofSeconds(20)));
        for (int i = 1; i <= 16; i++) {
            chunked.advanceTo(T0.plus(Duration.ofMillis(1250L * i)));
        }
        assertThat(chunked.snapshot()).isEqualTo(once.snapshot());
    }

    @Test
    void energy_accumulatesAtThePowerDrawn() {
        MinerModel model = new MinerModel(MinerSpec.S19_XP.withNoise(0, 0), 8, 25.0, T0);
        run(model, Duration.ofHours(1));
        assertThat(model.snapshot().energyKwh()).isCloseTo(3.01, within(0.001));
        assertThat(model.snapshot().workTerahashes()).isCloseTo(140 * 3600, within(1.0));
    }

    @Test
    void advanceTo_pastInstant_isIgnored() {
        MinerModel model = s19xp(9);
        run(model, Duration.ofSeconds(5));
        MinerSnapshot before = model.snapshot();
        model.advanceTo(T0);
        assertThat(model.snapshot()).isEqualTo(before);
    }

    @Test
    void inletTemperature_raisesChipTemperature() {
        MinerModel model = s19xp(10);
        int cool = model.snapshot().maxChipTempC();
        model.setInletTempC(35);
        run(model, Duration.ofMinutes(10));
        assertThat(model.snapshot().maxChipTempC()).isCloseTo(cool + 10, within(1));
    }

    @Test
    void setters_rejectOutOfRangeValues() {
        MinerModel model = s19xp(11);
        assertThatThrownBy(() -> model.setPowerTargetWatts(Double.NaN)).hasMessageContaining("powerTargetWatts");
        assertThatThrownBy(() -> model.setPowerTargetWatts(10)).hasMessageContaining("powerTargetWatts");
        assertThatThrownBy(() -> model.setInletTempC(99)).hasMessageContaining("inletTempC");
        assertThatThrownBy(() -> MinerSpec.S19_XP.withRampTimes(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("rampDown");
        assertThatThrownBy(() -> MinerSpec.S19_XP.withNameplate(20, 1)).hasMessageContaining("sleepWatts");
    }

    @Test
    void identity_isRepeatableAndDistinctPerIndex() {
        assertThat(MinerIdentity.generate(1, 5)).isEqualTo(MinerIdentity.generate(1, 5));
        assertThat(MinerIdentity.generate(1, 5).macAddress())
                .isNotEqualTo(MinerIdentity.generate(1, 6).macAddress());
        assertThat(MinerIdentity.generate(1, 5).hostname()).isEqualTo("sim-s19xp-0005");
    }
}
