package io.headroom.controller.market;

/** The prices the economics layer reads, each with the unit its values are in. */
public enum MarketInput {
    /** What one PH/s of hashing earns per day. */
    HASHPRICE("hashprice", "USD/PH/day"),
    /** The real-time energy price. */
    ENERGY_RT("energy-rt", "USD/MWh"),
    /** The day-ahead energy price. */
    ENERGY_DA("energy-da", "USD/MWh"),
    /** What AI capacity earns per kW-hour delivered; optional. */
    AI_CAPACITY("ai-capacity", "USD/kWh");

    private final String spelling;
    private final String unit;

    MarketInput(String spelling, String unit) {
        this.spelling = spelling;
        this.unit = unit;
    }

    /** The name in config and in the API, e.g. {@code energy-rt}. */
    public String spelling() {
        return spelling;
    }

    /** The unit of this input's values, e.g. {@code USD/MWh}. */
    public String unit() {
        return unit;
    }
}
