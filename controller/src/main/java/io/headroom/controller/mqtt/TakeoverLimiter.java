package io.headroom.controller.mqtt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Rate of takeovers per client id: a principal may replace its own live session (an agent that
 * reconnects before the old TCP connection is noticed dead) up to {@link MqttLimits#maxTakeoversPerMinute()}
 * times in any 60 s; the next attempt starts a backoff during which every takeover of that client
 * id is refused and the connected session keeps running. Two processes running with one agent's
 * credentials therefore stop knocking each other off after a few rounds instead of fighting
 * forever. Thread-safe.
 */
final class TakeoverLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final int MAX_CLIENT_IDS = 100_000;

    /** The decision and, for the log, how many takeovers the client id had in the last minute. */
    record Decision(boolean allowed, int recent) {}

    private final MqttLimits limits;
    private final LongSupplier nanoTime;
    private final Map<String, History> byClientId = new ConcurrentHashMap<>();

    private static final class History {
        final Deque<Long> times = new ArrayDeque<>();
        boolean backingOff;
        long backoffUntil;
    }

    TakeoverLimiter(MqttLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    Decision attempt(String clientId) {
        long now = nanoTime.getAsLong();
        if (byClientId.size() >= MAX_CLIENT_IDS) {
            prune(now);
        }
        History history = byClientId.computeIfAbsent(clientId, id -> new History());
        synchronized (history) {
            while (!history.times.isEmpty() && now - history.times.peekFirst() >= MINUTE_NANOS) {
                history.times.removeFirst();
            }
            if (history.backingOff && now - history.backoffUntil < 0) {
                return new Decision(false, history.times.size());
            }
            history.backingOff = false;
            if (history.times.size() >= limits.maxTakeoversPerMinute()) {
                history.backingOff = true;
                history.backoffUntil = now + limits.takeoverBackoffSeconds() * 1_000_000_000L;
                return new Decision(false, history.times.size());
            }
            history.times.addLast(now);
            return new Decision(true, history.times.size());
        }
    }

    private void prune(long now) {
        for (Iterator<History> it = byClientId.values().iterator(); it.hasNext(); ) {
            History history = it.next();
            synchronized (history) {
                boolean recent = !history.times.isEmpty() && now - history.times.peekLast() < MINUTE_NANOS;
                if (!recent && !(history.backingOff && now - history.backoffUntil < 0)) {
                    it.remove();
                }
            }
        }
    }
}
