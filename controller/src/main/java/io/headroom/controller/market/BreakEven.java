package io.headroom.controller.market;

import java.util.Objects;

/**
 * A miner's economics at one hashprice. 1 PH/s at E J/TH draws E kW (1000 TH/s × E J/TH = 1000 E W),
 * so it uses 24 E kWh a day and earns the hashprice H: revenue per kWh = H / (24 E) USD/kWh, and the
 * energy price at which it stops paying is 1000 × that in USD/MWh.
 *
 * @param model what the figures are for: a model, a device or a priority class
 * @param jPerTh the efficiency used
 * @param source where that efficiency came from; for a class, the least direct of its members'
 * @param hashpriceUsdPerPhDay the hashprice used
 * @param revenueUsdPerKwh what one kWh of hashing earns
 * @param breakEvenUsdPerMwh the energy price where revenue equals cost
 */
public record BreakEven(
        String model,
        double jPerTh,
        EfficiencySource source,
        double hashpriceUsdPerPhDay,
        double revenueUsdPerKwh,
        double breakEvenUsdPerMwh) {

    public BreakEven {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(source, "source");
    }

    /**
     * The figures for {@code model} at {@code hashprice}.
     *
     * @throws IllegalArgumentException when the efficiency is not positive or the hashprice not finite
     */
    public static BreakEven of(String model, ModelEconomics.Efficiency efficiency, double hashpriceUsdPerPhDay) {
        double revenue = revenuePerKwh(hashpriceUsdPerPhDay, efficiency.jPerTh());
        return new BreakEven(
                model, efficiency.jPerTh(), efficiency.source(), hashpriceUsdPerPhDay, revenue, revenue * 1000);
    }

    /** USD per kWh: hashprice (USD/PH/day) / (24 h × J/TH). */
    public static double revenuePerKwh(double hashpriceUsdPerPhDay, double jPerTh) {
        if (!(jPerTh > 0) || !Double.isFinite(jPerTh)) {
            throw new IllegalArgumentException("jPerTh: " + jPerTh + " is not a positive number");
        }
        if (!Double.isFinite(hashpriceUsdPerPhDay)) {
            throw new IllegalArgumentException("hashprice: " + hashpriceUsdPerPhDay + " is not a finite number");
        }
        return hashpriceUsdPerPhDay / (24 * jPerTh);
    }
}
