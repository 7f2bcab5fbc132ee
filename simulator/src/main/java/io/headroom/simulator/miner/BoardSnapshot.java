package io.headroom.simulator.miner;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One hashboard at one instant, as the firmware would report it.
 *
 * <p>Temperatures are whole °C, as Antminer/LuxOS sensors report them. The four sensors are in LuxOS
 * {@code temp_chip{n}} order, {@code "TopLeft-TopRight-BottomRight-BottomLeft"}: exhaust top, intake top,
 * intake bottom, exhaust bottom (the order seen in the LuxOS 2025.4.8 capture, where {@code temps} shows
 * TopLeft/BottomLeft as exhaust).
 *
 * @param index        0-based board index ({@code chain_rate{index+1}})
 * @param hashrateThs  board hashrate, TH/s
 * @param chipTempsC   four chip sensors, °C
 * @param pcbTempsC    four PCB sensors, °C
 */
public record BoardSnapshot(int index, double hashrateThs, List<Integer> chipTempsC, List<Integer> pcbTempsC) {
    /** Number of temperature sensors per board. */
    public static final int SENSORS = 4;

    public BoardSnapshot {
        if (index < 0) {
            throw new IllegalArgumentException("index: must not be negative, got " + index);
        }
        chipTempsC = List.copyOf(Objects.requireNonNull(chipTempsC, "chipTempsC"));
        pcbTempsC = List.copyOf(Objects.requireNonNull(pcbTempsC, "pcbTempsC"));
        if (chipTempsC.size() != SENSORS || pcbTempsC.size() != SENSORS) {
            throw new IllegalArgumentException("chipTempsC/pcbTempsC: need " + SENSORS + " sensors each");
        }
    }

    /** Hottest chip sensor, °C. */
    public int maxChipTempC() {
        return Collections.max(chipTempsC);
    }

    /** Hottest PCB sensor, °C. */
    public int maxPcbTempC() {
        return Collections.max(pcbTempsC);
    }
}
