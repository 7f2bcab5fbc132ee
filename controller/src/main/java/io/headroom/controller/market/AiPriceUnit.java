package io.headroom.controller.market;

import java.util.Objects;
import java.util.Optional;

/**
 * The unit an AI capacity price is stated in. Contracts for GPU capacity are priced per GPU-hour;
 * the ledger weighs the AI price against energy per kW-hour. A GPU-hour price is turned into
 * USD/kWh with one stated, configured figure ({@code ai-kw-per-gpu}): the kW one GPU stands for,
 * its share of the server's contracted draw. (The GPU count the servers report would not do: the
 * draw per GPU moves with load, so a price divided by it would move too while the contract does not.)
 */
public enum AiPriceUnit {
    /** USD per kW-hour, as the ledger takes it. */
    USD_PER_KWH("USD/kWh"),
    /** USD per GPU-hour, divided by {@code ai-kw-per-gpu} for the ledger. */
    USD_PER_GPU_HOUR("USD/GPU-h");

    private final String unit;

    AiPriceUnit(String unit) {
        this.unit = unit;
    }

    /** As the API and the payload's {@code unit} write it, e.g. {@code USD/GPU-h}. */
    public String unit() {
        return unit;
    }

    /**
     * How an AI capacity price as stated becomes USD/kWh.
     *
     * @param stated the unit the source gives
     * @param kwPerGpu with {@link #USD_PER_GPU_HOUR}: kW per GPU
     */
    public record Conversion(AiPriceUnit stated, Optional<Double> kwPerGpu) {
        /** Per kW-hour, nothing to convert. */
        public static final Conversion NONE = new Conversion(USD_PER_KWH, Optional.empty());

        public Conversion {
            Objects.requireNonNull(stated, "stated");
            Objects.requireNonNull(kwPerGpu, "kwPerGpu");
            if (stated == USD_PER_GPU_HOUR && !(kwPerGpu.orElse(0.0) > 0)) {
                throw new IllegalArgumentException("kwPerGpu: a figure > 0 is needed for " + stated.unit());
            }
        }

        /** {@code value} in the stated unit, as USD/kWh: USD/GPU-h ÷ kW/GPU = USD/kWh. */
        public double toUsdPerKwh(double value) {
            return stated == USD_PER_KWH ? value : value / kwPerGpu.orElseThrow();
        }

        /** {@code usdPerKwh} back in the stated unit. */
        public double toStated(double usdPerKwh) {
            return stated == USD_PER_KWH ? usdPerKwh : usdPerKwh * kwPerGpu.orElseThrow();
        }
    }
}
