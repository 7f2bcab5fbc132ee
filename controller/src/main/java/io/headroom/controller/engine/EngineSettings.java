package io.headroom.controller.engine;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.Duration;

/**
 * How the control engine acts: margins against every limit, how fast it may command a device, and
 * how carefully it restores. {@code engine:} in {@code controller.yaml}; see {@code docs/control-engine.md}.
 *
 * @param enabled whether the engine sends commands at all; off, it still computes and explains
 * @param interval how often it runs
 * @param marginPercent a node sheds when its load, counting commands in flight, exceeds its limit
 *     less this share
 * @param deadbandPercent restore only while every node is below its limit less margin and deadband
 * @param restoreDwell how long every node must stay under the restore line before a restore
 * @param minCurtailed the least time a device stays curtailed
 * @param cooldown the least time since the last shed before a restore
 * @param restoreBatchPerCircuit devices restored at once on one circuit (inrush)
 * @param restoreInterval time between two restore batches on one circuit
 * @param minCommandInterval the least time between two commands to one device (no flapping)
 * @param confirmTimeout how long a command may take until telemetry shows its effect; after it the
 *     command DRIFTED
 * @param confirmTolerancePercent how far above the expected power a device may read and still count
 *     as confirmed, as a share of its nameplate
 * @param maxRetries retries of a failed or drifted command before the device counts as unresponsive
 * @param commandTtl how long an agent may still start a command the engine sent
 */
@Doc("The control engine: margins, rates and restore pacing.")
public record EngineSettings(
        @Doc("Whether the engine sends commands; off, it still computes and explains its decisions.") @Default("true")
        boolean enabled,

        @Doc("How often the engine runs.") @Default("1s") @Range(min = "100ms", max = "1m")
        Duration interval,

        @Doc("Shed when a node's load, counting commands in flight, exceeds its limit less this share, in percent.")
        @Default("3")
        @Range(min = "0", max = "50")
        double marginPercent,

        @Doc("Restore only while every node is below its limit less margin and this share, in percent.")
        @Default("5")
        @Range(min = "0", max = "50")
        double deadbandPercent,

        @Doc("How long every node must stay below the restore line before a restore.")
        @Default("30s")
        @Range(min = "0s", max = "1h")
        Duration restoreDwell,

        @Doc("The least time a device stays curtailed.") @Default("60s") @Range(min = "0s", max = "1d")
        Duration minCurtailed,

        @Doc("The least time since the last shed before a restore.") @Default("30s") @Range(min = "0s", max = "1d")
        Duration cooldown,

        @Doc("Devices restored at once on one circuit (inrush).") @Default("2") @Range(min = "1", max = "1000")
        int restoreBatchPerCircuit,

        @Doc("Time between two restore batches on one circuit.") @Default("10s") @Range(min = "0s", max = "1h")
        Duration restoreInterval,

        @Doc("The least time between two commands to one device.") @Default("20s") @Range(min = "0s", max = "1h")
        Duration minCommandInterval,

        @Doc("How long a command may take until telemetry shows its effect; then it has drifted.")
        @Default("60s")
        @Range(min = "1s", max = "1h")
        Duration confirmTimeout,

        @Doc("How far above the expected power a device may read and still be confirmed, in percent of its"
                + " nameplate.")
        @Default("10")
        @Range(min = "0", max = "100")
        double confirmTolerancePercent,

        @Doc("Retries of a failed or drifted command before the device counts as unresponsive.")
        @Default("2")
        @Range(min = "0", max = "20")
        int maxRetries,

        @Doc("How long an agent may still start a command the engine sent.")
        @Default("30s")
        @Range(min = "1s", max = "10m")
        Duration commandTtl) {

    /** The defaults, as {@code controller.yaml} without an {@code engine:} section gets them. */
    public static EngineSettings defaults() {
        return new EngineSettings(
                true,
                Duration.ofSeconds(1),
                3,
                5,
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                2,
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                10,
                2,
                Duration.ofSeconds(30));
    }

    /** The share of a limit below which a node is not shed: 1 − margin. */
    double shedLine() {
        return 1 - marginPercent / 100;
    }

    /** The share of a limit below which a restore may add load: 1 − margin − deadband. */
    double restoreLine() {
        return 1 - (marginPercent + deadbandPercent) / 100;
    }
}
