package io.headroom.controller.market;

/** Where a model's J/TH came from. */
public enum EfficiencySource {
    /** Measured: power truth divided by hashrate. */
    MEASURED("measured"),
    /** The firmware profile's figure, used when no measurement is good. */
    PROFILE("profile");

    private final String spelling;

    EfficiencySource(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }
}
