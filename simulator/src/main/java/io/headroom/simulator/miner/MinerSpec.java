package io.headroom.simulator.miner;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated miner is: nameplate, sleep draw, ramp and thermal time constants, board layout and noise.
 *
 * <p>Defaults ({@link #S19_XP}) are an Antminer S19 XP on LuxOS (reference/DEVICES.md §6: ≈140 TH/s at
 * ≈3010 W, 3 boards; sleep ≈30 W as in Proto Fleet's fake, §5). Ramp time constants are first-order
 * (63 % of a step after one τ); {@code wakeDelay} is the time after {@code curtail wakeup} during which the
 * boards are still coming up and draw only sleep power (LuxOS wake "ramps like a reboot", §4.5).
 *
 * @param model                 the model string the firmware reports, e.g. {@code "Antminer S19 XP"}
 * @param nameplateWatts        input power when mining at the default profile, W
 * @param nameplateThs          hashrate at {@code nameplateWatts}, TH/s
 * @param sleepWatts            input power when curtailed to sleep, W
 * @param rampDown              time constant of a power decrease
 * @param rampUp                time constant of a power increase
 * @param wakeDelay             boot time after wakeup before power starts ramping up
 * @param thermalTimeConstant   time constant of chip temperature following power
 * @param chipRiseAtNameplateC  hottest-chip temperature above inlet at nameplate power, °C
 * @param boards                hashboards (chains)
 * @param chipsPerBoard         ASICs per board ({@code chain_acn})
 * @param fans                  fans
 * @param powerNoise            relative amplitude of power noise while mining (0.005 = ±0.5 %)
 * @param hashNoise             relative amplitude of hashrate noise while mining
 */
public record MinerSpec(
        String model,
        double nameplateWatts,
        double nameplateThs,
        double sleepWatts,
        Duration rampDown,
        Duration rampUp,
        Duration wakeDelay,
        Duration thermalTimeConstant,
        double chipRiseAtNameplateC,
        int boards,
        int chipsPerBoard,
        int fans,
        double powerNoise,
        double hashNoise) {

    /**
     * Antminer S19 XP: 3010 W, 140 TH/s (21.5 J/TH), sleep 30 W, ramp τ 5 s down / 15 s up, 10 s boot on
     * wakeup, thermal τ 60 s, chips 43 °C above inlet at nameplate (68 °C at 25 °C inlet), 3 × 110 chips, 4 fans.
     */
    public static final MinerSpec S19_XP = new MinerSpec(
            "Antminer S19 XP",
            3010,
            140,
            30,
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            43,
            3,
            110,
            4,
            0.005,
            0.01);

    public MinerSpec {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model: must not be blank");
        }
        requireFinite(nameplateWatts, "nameplateWatts", 1);
        requireFinite(nameplateThs, "nameplateThs", 0.001);
        requireFinite(sleepWatts, "sleepWatts", 0);
        if (sleepWatts >= nameplateWatts) {
            throw new IllegalArgumentException(
                    "sleepWatts: must be below nameplateWatts (" + nameplateWatts + "), got " + sleepWatts);
        }
        requirePositive(rampDown, "rampDown");
        requirePositive(rampUp, "rampUp");
        Objects.requireNonNull(wakeDelay, "wakeDelay");
        if (wakeDelay.isNegative()) {
            throw new IllegalArgumentException("wakeDelay: must not be negative, got " + wakeDelay);
        }
        requirePositive(thermalTimeConstant, "thermalTimeConstant");
        requireFinite(chipRiseAtNameplateC, "chipRiseAtNameplateC", 0);
        requireRange(boards, "boards", 1, 16);
        requireRange(chipsPerBoard, "chipsPerBoard", 1, 1000);
        requireRange(fans, "fans", 1, 16);
        requireFinite(powerNoise, "powerNoise", 0);
        requireFinite(hashNoise, "hashNoise", 0);
        if (powerNoise > 0.2 || hashNoise > 0.2) {
            throw new IllegalArgumentException(
                    "powerNoise/hashNoise: must be at most 0.2, got " + powerNoise + "/" + hashNoise);
        }
    }

    /** Energy per unit of work at nameplate, J/TH. */
    public double efficiencyJoulesPerTh() {
        return nameplateWatts / nameplateThs;
    }

    public MinerSpec withNameplate(double watts, double ths) {
        return new MinerSpec(
                model,
                watts,
                ths,
                sleepWatts,
                rampDown,
                rampUp,
                wakeDelay,
                thermalTimeConstant,
                chipRiseAtNameplateC,
                boards,
                chipsPerBoard,
                fans,
                powerNoise,
                hashNoise);
    }

    public MinerSpec withRampTimes(Duration down, Duration up) {
        return new MinerSpec(
                model,
                nameplateWatts,
                nameplateThs,
                sleepWatts,
                down,
                up,
                wakeDelay,
                thermalTimeConstant,
                chipRiseAtNameplateC,
                boards,
                chipsPerBoard,
                fans,
                powerNoise,
                hashNoise);
    }

    public MinerSpec withWakeDelay(Duration delay) {
        return new MinerSpec(
                model,
                nameplateWatts,
                nameplateThs,
                sleepWatts,
                rampDown,
                rampUp,
                delay,
                thermalTimeConstant,
                chipRiseAtNameplateC,
                boards,
                chipsPerBoard,
                fans,
                powerNoise,
                hashNoise);
    }

    public MinerSpec withThermalTimeConstant(Duration tau) {
        return new MinerSpec(
                model,
                nameplateWatts,
                nameplateThs,
                sleepWatts,
                rampDown,
                rampUp,
                wakeDelay,
                tau,
                chipRiseAtNameplateC,
                boards,
                chipsPerBoard,
                fans,
                powerNoise,
                hashNoise);
    }

    public MinerSpec withNoise(double power, double hash) {
        return new MinerSpec(
                model,
                nameplateWatts,
                nameplateThs,
                sleepWatts,
                rampDown,
                rampUp,
                wakeDelay,
                thermalTimeConstant,
                chipRiseAtNameplateC,
                boards,
                chipsPerBoard,
                fans,
                power,
                hash);
    }

    private static void requireFinite(double value, String field, double min) {
        if (!Double.isFinite(value) || value < min) {
            throw new IllegalArgumentException(field + ": must be a finite number >= " + min + ", got " + value);
        }
    }

    private static void requirePositive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + ": must be positive, got " + value);
        }
    }

    private static void requireRange(int value, String field, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
