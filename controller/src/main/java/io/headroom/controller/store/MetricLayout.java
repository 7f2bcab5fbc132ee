package io.headroom.controller.store;

import io.headroom.protocol.MetricDescriptor;
import io.headroom.protocol.MetricDictionary;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The metrics a device declared in its birth, in order, with what the store derives from them: each slot's
 * display key, the slot of each key and each slot's dictionary entry. Immutable, so every device that declares
 * the same metrics shares one: a site of 100,000 miners of a few models holds a few layouts, not 100,000 copies of
 * the same names, keys and maps (about 300 bytes per device-metric; docs/benchmarks.md).
 *
 * <p>The shared layouts are kept in a bounded table: an agent inventing new instance names cannot grow it past
 * {@link #SHARED_LIMIT}; past that each device gets a layout of its own, as before.
 */
final class MetricLayout {

    /** Distinct layouts shared at most; a real site has one per model and firmware, a few dozen. */
    static final int SHARED_LIMIT = 4_096;

    private static final Map<List<MetricSlot>, MetricLayout> SHARED = new ConcurrentHashMap<>();

    final MetricSlot[] slots;
    final String[] displayKeys;
    final Map<String, Integer> slotByKey;
    /** The dictionary entry of each slot (null for a name the dictionary lacks: no range to check). */
    final MetricDescriptor[] descriptors;
    /** The slots of chip temperatures ({@code temperature.chip}, any instance), for the hottest-chip reading. */
    final int[] chipSlots;

    private MetricLayout(List<MetricSlot> slots) {
        this.slots = slots.toArray(new MetricSlot[0]);
        this.displayKeys = new String[this.slots.length];
        Map<String, Integer> byKey = new HashMap<>(this.slots.length * 2);
        this.descriptors = new MetricDescriptor[this.slots.length];
        for (int i = 0; i < this.slots.length; i++) {
            displayKeys[i] = this.slots[i].displayKey();
            byKey.putIfAbsent(displayKeys[i], i);
            descriptors[i] = MetricDictionary.find(this.slots[i].name());
        }
        this.slotByKey = Collections.unmodifiableMap(byKey);
        this.chipSlots = IntStream.range(0, this.slots.length)
                .filter(i -> MetricDictionary.TEMPERATURE_CHIP.equals(this.slots[i].name()))
                .toArray();
    }

    /** The shared layout of {@code slots}, or one of its own once the table is full. */
    static MetricLayout of(List<MetricSlot> slots) {
        MetricLayout shared = SHARED.get(slots);
        if (shared != null) {
            return shared;
        }
        List<MetricSlot> key = List.copyOf(slots);
        if (SHARED.size() >= SHARED_LIMIT) {
            return new MetricLayout(key);
        }
        return SHARED.computeIfAbsent(key, MetricLayout::new);
    }
}
