package io.headroom.controller.ingest;

import io.headroom.controller.store.DeviceRecord;

/**
 * Alias → (device, metric slot) for one birth, as an open-addressing primitive map so that
 * resolving a sample allocates nothing. Immutable once built. A slot of {@link #IGNORED} marks an
 * alias the birth declared but the controller refused (unknown metric, device claimed elsewhere):
 * its samples are dropped without asking for a rebirth that would change nothing.
 */
final class AliasTable {

    static final int IGNORED = -1;
    static final AliasTable EMPTY = new Builder().build();

    private final int mask;
    private final int[] keys;
    /** Entry index + 1; 0 marks a free cell. */
    private final int[] cells;

    private final DeviceRecord[] devices;
    private final int[] slots;

    private AliasTable(int capacity, int[] aliases, DeviceRecord[] devices, int[] slots, int size) {
        this.mask = capacity - 1;
        this.keys = new int[capacity];
        this.cells = new int[capacity];
        this.devices = devices;
        this.slots = slots;
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

    DeviceRecord device(int entry) {
        return devices[entry];
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
