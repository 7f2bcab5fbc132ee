package io.headroom.controller.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} changes of a device's status or status reason, oldest first: what a
 * technician reads to see that a miner went OFFLINE {@code timeout} three times this morning. A
 * change of the message alone (a DEGRADED miner's fan reading, each poll) is not an entry. Not
 * thread-safe: its {@link DeviceRecord} guards it.
 *
 * <p>Grows from two entries to {@link #CAPACITY}: most devices change status a few times a day,
 * so at 100,000 devices the timelines cost a few MB, not the full ring for each.
 */
final class StatusTimeline {

    /** Entries kept per device; the oldest is dropped past it. */
    static final int CAPACITY = 32;

    private StatusChange[] ring = new StatusChange[2];
    private int start;
    private int size;

    /** Records a change unless it repeats the latest entry's status and reason. */
    void record(Instant at, DeviceState status, String reason, String message) {
        if (size > 0) {
            StatusChange last = ring[(start + size - 1) % ring.length];
            if (last.status() == status && last.reason().equals(reason)) {
                return;
            }
        }
        StatusChange change = new StatusChange(at, status, reason, message);
        if (size == ring.length && ring.length < CAPACITY) {
            StatusChange[] grown = new StatusChange[Math.min(CAPACITY, ring.length * 2)];
            for (int i = 0; i < size; i++) {
                grown[i] = ring[(start + i) % ring.length];
            }
            ring = grown;
            start = 0;
        }
        if (size == ring.length) {
            ring[start] = change;
            start = (start + 1) % ring.length;
        } else {
            ring[(start + size) % ring.length] = change;
            size++;
        }
    }

    /** The entries, oldest first. */
    List<StatusChange> entries() {
        List<StatusChange> copy = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            copy.add(ring[(start + i) % ring.length]);
        }
        return copy;
    }

    /** Appends {@code earlier}'s entries before this one's: a rebirth keeps the device's history. */
    void prepend(StatusTimeline earlier) {
        List<StatusChange> mine = entries();
        ring = new StatusChange[2];
        start = 0;
        size = 0;
        for (StatusChange change : earlier.entries()) {
            record(change.at(), change.status(), change.reason(), change.message());
        }
        for (StatusChange change : mine) {
            record(change.at(), change.status(), change.reason(), change.message());
        }
    }
}
