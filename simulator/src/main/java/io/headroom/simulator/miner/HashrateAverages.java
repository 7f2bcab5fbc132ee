package io.headroom.simulator.miner;

/**
 * Exponentially decaying hashrate averages (cgminer's "GHS 1m/5m/15m/30m/24h" are decayed averages too),
 * TH/s.
 */
public record HashrateAverages(
        double oneMinuteThs, double fiveMinuteThs, double fifteenMinuteThs, double thirtyMinuteThs, double dayThs) {}
