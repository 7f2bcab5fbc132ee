package io.headroom.controller.site;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;

/**
 * The breaker that protects a PDU or a branch circuit, and the continuous load it allows: a breaker
 * is rated to carry its full current only briefly, so the load it may carry without end is its rating
 * times the continuous derate (80 % under NEC 210.20 / 215.3 for a standard breaker).
 *
 * @param amps breaker rating per phase
 * @param volts for one phase, the line-to-neutral (or line-to-line for a two-pole circuit) voltage;
 *     for three phases, the line-to-line voltage
 * @param phases 1 or 3
 * @param deratePercent share of the rating allowed continuously
 */
@Doc("The breaker protecting this PDU or circuit; its continuous limit is amps x volts (x sqrt 3) x derate.")
public record Breaker(
        @Doc("Breaker rating in amps (per phase).") @Range(min = "1", max = "10000")
        double amps,

        @Doc("Voltage: line-to-line for three phases, the circuit voltage for one.") @Range(min = "1", max = "100000")
        double volts,

        @Doc("1 for single phase, 3 for three-phase.") @Default("1")
        int phases,

        @Doc("Share of the rating the circuit may carry continuously, in percent (80 for a standard breaker).")
        @Default("80")
        @Range(min = "1", max = "100")
        double deratePercent) {

    private static final double SQRT_3 = Math.sqrt(3);

    public Breaker {
        if (phases != 1 && phases != 3) {
            throw new IllegalArgumentException("phases: must be 1 or 3, was " + phases);
        }
    }

    /** The continuous limit in kW: amps × volts × (√3 for three phases) × derate / 1000. */
    public double limitKw() {
        return amps * volts * (phases == 3 ? SQRT_3 : 1) * (deratePercent / 100) / 1000;
    }
}
