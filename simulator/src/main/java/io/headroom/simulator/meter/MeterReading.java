package io.headroom.simulator.meter;

/**
 * What a three-phase meter measures at one moment, in SI units, noise included.
 *
 * @param volts        phase-to-neutral voltage of L1, L2, L3, V
 * @param amps         current of L1, L2, L3, A
 * @param watts        active power of L1, L2, L3, W
 * @param totalWatts   total active power (the sum of the phases), W
 * @param totalVa      total apparent power, VA
 * @param totalVar     total reactive power, var
 * @param powerFactor  total power factor
 * @param frequencyHz  supply frequency, Hz
 * @param importKwh    imported active energy, kWh (monotonic, no read noise)
 */
public record MeterReading(
        double[] volts,
        double[] amps,
        double[] watts,
        double totalWatts,
        double totalVa,
        double totalVar,
        double powerFactor,
        double frequencyHz,
        double importKwh) {
    public MeterReading {
        volts = volts.clone();
        amps = amps.clone();
        watts = watts.clone();
    }

    @Override
    public double[] volts() {
        return volts.clone();
    }

    @Override
    public double[] amps() {
        return amps.clone();
    }

    @Override
    public double[] watts() {
        return watts.clone();
    }
}
