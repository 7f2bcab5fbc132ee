package io.headroom.simulator.miner;

import io.headroom.protocol.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a simulated miner really had at one instant: the ground truth tests compare an agent's readings with.
 * The RPC server renders exactly these values (power rounded to whole watts, hashrates in GH/s).
 *
 * @param at               model time of this snapshot
 * @param mode             {@link Mode#NORMAL} or {@link Mode#SLEEP} (the commanded mode)
 * @param powerWatts       input power, W
 * @param powerTargetWatts power target while mining, W
 * @param hashrateThs      total hashrate, TH/s (sum of the boards')
 * @param boards           per-board hashrate and temperatures
 * @param fanRpms          fan speeds, rpm
 * @param inletTempC       air inlet temperature, °C
 * @param energyKwh        energy drawn since the model started, kWh
 * @param averages         decaying hashrate averages
 * @param workTerahashes   hashes done since the model started, in units of 10^12
 * @param uptime           time since the model (the miner software) started
 * @param ramping          true while booting after wakeup or while power is still settling toward its target
 */
public record MinerSnapshot(
        Instant at,
        Mode mode,
        double powerWatts,
        double powerTargetWatts,
        double hashrateThs,
        List<BoardSnapshot> boards,
        List<Integer> fanRpms,
        double inletTempC,
        double energyKwh,
        HashrateAverages averages,
        double workTerahashes,
        Duration uptime,
        boolean ramping) {

    public MinerSnapshot {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(averages, "averages");
        boards = List.copyOf(Objects.requireNonNull(boards, "boards"));
        fanRpms = List.copyOf(Objects.requireNonNull(fanRpms, "fanRpms"));
    }

    /** Hottest chip sensor over all boards, °C. */
    public int maxChipTempC() {
        return boards.stream().mapToInt(BoardSnapshot::maxChipTempC).max().orElseThrow();
    }

    /** Chip temperature (hottest sensor) of each board, °C. */
    public List<Integer> chipTempsC() {
        return boards.stream().map(BoardSnapshot::maxChipTempC).toList();
    }

    /** PCB temperature (hottest sensor) of each board, °C. */
    public List<Integer> boardTempsC() {
        return boards.stream().map(BoardSnapshot::maxPcbTempC).toList();
    }
}
