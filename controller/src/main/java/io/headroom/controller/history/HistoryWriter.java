package io.headroom.controller.history;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.SampleBatch;

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

    /**
     * Adds the samples of a batch its record stored ({@link DeviceRecord.Applied#STORED}), as
     * {@link #record} would one by one; a writer may take them under one acquisition of its monitor.
     */
    default void recordStored(SampleBatch batch) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if (batch.stored(i)) {
                record(batch.slot(i), batch.value(i), batch.atMillis(i));
            }
        }
    }
}
