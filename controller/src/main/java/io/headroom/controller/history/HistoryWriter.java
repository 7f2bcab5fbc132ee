package io.headroom.controller.history;

/** Takes one device's samples into its history; see {@link History#writer}. */
public interface HistoryWriter {

    /** A writer that keeps nothing: where history is off. */
    HistoryWriter NONE = (slot, value, atMillis) -> {};

    /**
     * Adds a sample to the buckets it falls in. Never blocks beyond this device's own monitor for a
     * few array writes, never throws; samples it cannot keep are counted.
     *
     * @param slot the slot of the device record the writer was made for
     * @param value finite
     * @param atMillis the sample's stamp as the store keeps it, epoch ms
     */
    void record(int slot, double value, long atMillis);
}
