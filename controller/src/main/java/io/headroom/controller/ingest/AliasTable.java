package io.headroom.controller.ingest;

import io.headroom.controller.history.History;
import io.headroom.controller.history.HistoryWriter;
import io.headroom.controller.store.DeviceRecord;

/**
 * Alias → (device, metric slot) for one birth, as a primitive map so that resolving a sample
 * allocates nothing: indexed by the alias itself when a birth's aliases are dense (Headroom's agents
 * number them 1, 2, 3 …), an open-addressing table otherwise. Immutable once built, but for a cache of
 * each device's history writer. A slot of {@link #IGNORED} marks an
 * alias the birth declared but the controller refused (unknown metric, device claimed elsewhere):
 * its samples are dropped without asking for a rebirth that would change nothing.
 */
final class AliasTable {

    static final int IGNORED = -1;
    static final AliasTable EMPTY = new Builder().build();

    /**
     * Aliases at most this many times the entries (and a few more) are looked up by index: one array
     * read instead of a hash and a probe, for at most twice the memory of the hash table.
     */
    private static final int DENSE_FACTOR = 2;

    private static final int DENSE_SLACK = 64;
    /** Entry index + 1 by alias, 0 for none; null when the aliases are sparse. */
    private final int[] dense;

    private final int mask;
    private final int[] keys;
    /** Entry index + 1; 0 marks a free cell. */
    private final int[] cells;

    private final DeviceRecord[] devices;
    private final int[] slots;
    /**
     * Per entry, the history writer of its device once looked up: a birth's records are fixed, and a
     * lookup by device id was 8 % of the controller's CPU under load. The one mutable part of the
     * table, filled under the agent session's lock like everything else ingest does with it.
     */
    private final HistoryWriter[] writers;

    private AliasTable(int capacity, int[] aliases, DeviceRecord[] devices, int[] slots, int size) {
        this.devices = devices;
        this.slots = slots;
        this.writers = new HistoryWriter[size];
        long largest = -1;
        boolean negative = false;
        for (int entry = 0; entry < size; entry++) {
            largest = Math.max(largest, aliases[entry] & 0xFFFF_FFFFL);
            negative |= aliases[entry] < 0;
        }
        if (!negative && largest < (long) DENSE_FACTOR * size + DENSE_SLACK) {
            this.dense = new int[(int) largest + 1];
            for (int entry = 0; entry < size; entry++) {
                if (dense[aliases[entry]] == 0) {
                    dense[aliases[entry]] = entry + 1; // the first of a repeated alias, as the probe finds it
                }
            }
            this.mask = 0;
            this.keys = null;
            this.cells = null;
            return;
        }
        this.dense = null;
        this.mask = capacity - 1;
        this.keys = new int[capacity];
        this.cells = new int[capacity];
        for (int entry = 0; entry < size; entry++) {
            int cell = mix(aliases[entry]) & mask;
            while (cells[cell] != 0) {
                cell = (cell + 1) & mask;
            }
            keys[cell] = aliases[entry];
            cells[cell] = entry + 1;
        }
    }

    /** The entry for {@code alias}, or -1 when the birth did not declare it. */
    int find(int alias) {
        if (dense != null) {
            // An alias is a uint32 on the wire: one above Integer.MAX_VALUE arrives negative.
            return alias >= 0 && alias < dense.length ? dense[alias] - 1 : -1;
        }
        int cell = mix(alias) & mask;
        while (true) {
            int entry = cells[cell];
            if (entry == 0) {
                return -1;
            }
            if (keys[cell] == alias) {
                return entry - 1;
            }
            cell = (cell + 1) & mask;
        }
    }

    /** True when aliases are looked up by index (dense), false for the hash table. */
    boolean indexed() {
        return dense != null;
    }

    DeviceRecord device(int entry) {
        return devices[entry];
    }

    /** The history writer of the entry's device, looked up in {@code history} the first time. */
    HistoryWriter writer(int entry, History history) {
        HistoryWriter writer = writers[entry];
        if (writer == null) {
            writer = history.writer(devices[entry]);
            writers[entry] = writer;
        }
        return writer;
    }

    /** The metric slot, or {@link #IGNORED}. */
    int slot(int entry) {
        return slots[entry];
    }

    private static int mix(int alias) {
        int h = alias * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    static final class Builder {
        private int[] aliases = new int[16];
        private DeviceRecord[] devices = new DeviceRecord[16];
        private int[] slots = new int[16];
        private int size;

        /** Adds an alias; {@code device} null or {@code slot} {@link #IGNORED} makes it ignored. */
        Builder put(int alias, DeviceRecord device, int slot) {
            if (size == aliases.length) {
                aliases = java.util.Arrays.copyOf(aliases, size * 2);
                devices = java.util.Arrays.copyOf(devices, size * 2);
                slots = java.util.Arrays.copyOf(slots, size * 2);
            }
            aliases[size] = alias;
            devices[size] = device;
            slots[size] = device == null ? IGNORED : slot;
            size++;
            return this;
        }

        AliasTable build() {
            int capacity = Integer.highestOneBit(Math.max(8, size * 2) - 1) << 1;
            return new AliasTable(capacity, aliases, devices, slots, size);
        }
    }
}
