package io.headroom.controller.mqtt;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per source IP address: connections not yet accepted, recent failed logins, and a penalty once
 * there were too many. Thread-safe; entries that hold nothing are dropped, and the table is
 * capped so that a spray of addresses cannot grow it without bound.
 */
final class SourceLimits {
    /** Why a new connection was closed on accept. */
    enum Refusal {
        NONE,
        PRE_AUTH_LIMIT,
        PENALISED
    }

    private static final int MAX_ADDRESSES = 100_000;

    private final MqttLimits limits;
    private final LongSupplier nanoTime;
    private final Map<InetAddress, Entry> byAddress = new ConcurrentHashMap<>();

    private static final class Entry {
        int pending;
        long[] failures;
        int failureCount;
        long penaltyUntil;
        boolean penalised;

        Entry(int maxFailures) {
            failures = new long[maxFailures];
        }
    }

    SourceLimits(MqttLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
    }

    /** Counts a new connection from {@code address} as pending unless it is refused. */
    Refusal open(InetAddress address) {
        long now = nanoTime.getAsLong();
        if (byAddress.size() >= MAX_ADDRESSES) {
            prune(now);
        }
        Entry entry = byAddress.computeIfAbsent(address, a -> new Entry(limits.maxFailedLogins()));
        synchronized (entry) {
            if (penalised(entry, now)) {
                return Refusal.PENALISED;
            }
            if (entry.pending >= limits.maxPreAuthPerAddress()) {
                return Refusal.PRE_AUTH_LIMIT;
            }
            entry.pending++;
            return Refusal.NONE;
        }
    }

    /** The connection counted by {@link #open} was accepted or closed. */
    void release(InetAddress address) {
        Entry entry = byAddress.get(address);
        if (entry != null) {
            synchronized (entry) {
                if (entry.pending > 0) {
                    entry.pending--;
                }
            }
        }
    }

    /**
     * Records a failed login; returns true if it started a penalty for the address (so the caller
     * can log that once).
     */
    boolean failedLogin(InetAddress address) {
        long now = nanoTime.getAsLong();
        Entry entry = byAddress.computeIfAbsent(address, a -> new Entry(limits.maxFailedLogins()));
        synchronized (entry) {
            if (penalised(entry, now)) {
                return false;
            }
            long window = limits.failureWindowSeconds() * 1_000_000_000L;
            // Ring of the last maxFailedLogins failure times; once full, the slot written next holds the oldest.
            int size = entry.failures.length;
            entry.failures[entry.failureCount % size] = now;
            entry.failureCount++;
            if (entry.failureCount >= size && now - entry.failures[entry.failureCount % size] < window) {
                entry.penalised = true;
                entry.penaltyUntil = now + limits.penaltySeconds() * 1_000_000_000L;
                entry.failureCount = 0;
                return true;
            }
            return false;
        }
    }

    boolean penalised(InetAddress address) {
        Entry entry = byAddress.get(address);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            return penalised(entry, nanoTime.getAsLong());
        }
    }

    private static boolean penalised(Entry entry, long now) {
        if (entry.penalised && now - entry.penaltyUntil >= 0) {
            entry.penalised = false;
        }
        return entry.penalised;
    }

    private void prune(long now) {
        long window = limits.failureWindowSeconds() * 1_000_000_000L;
        for (Iterator<Entry> it = byAddress.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            synchronized (entry) {
                boolean recentFailure = false;
                for (int i = 0; i < Math.min(entry.failureCount, entry.failures.length); i++) {
                    recentFailure |= now - entry.failures[i] < window;
                }
                if (entry.pending == 0 && !penalised(entry, now) && !recentFailure) {
                    it.remove();
                }
            }
        }
    }
}
