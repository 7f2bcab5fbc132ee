package io.headroom.controller.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Whether a counter of journal write failures grew within a window, the way {@code
 * increase(headroom_engine_journal_failures_total[10m]) > 0} reads it: the latest count against the
 * oldest one still inside the window. Keeps one sample per evaluation inside the window.
 */
final class JournalErrorWindow {

    private record Sample(Instant at, double count) {}

    private final Duration window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    JournalErrorWindow(Duration window) {
        this.window = window;
    }

    /** Records {@code count} at {@code now}; true when it is above the oldest count within the window. */
    boolean grew(double count, Instant now) {
        samples.addLast(new Sample(now, count));
        Instant from = now.minus(window);
        while (samples.size() > 1 && samples.peekFirst().at().isBefore(from)) {
            samples.removeFirst();
        }
        return count > samples.peekFirst().count();
    }
}
