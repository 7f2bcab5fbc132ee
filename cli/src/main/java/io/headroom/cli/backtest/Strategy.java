package io.headroom.cli.backtest;

/** What decides the curtailment in one run; limits and reservations hold in all of them. */
public enum Strategy {
    /** Headroom: the market's strike rules (margin, N intervals above, M below) through the engine. */
    HEADROOM("headroom"),
    /** Baseline: no market strikes at all; the engine still enforces every limit and reservation. */
    ALWAYS_ON("always-on"),
    /**
     * Baseline: a fixed strike at break-even with no dwell: every model whose break-even (from its
     * nameplate J/TH) is below the energy price now is struck at once and resumed as soon as it is not.
     */
    FIXED_STRIKE("fixed-strike");

    private final String wireName;

    Strategy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
