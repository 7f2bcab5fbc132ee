package io.headroom.controller.api.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits failed sign-ins per source address: after {@code maxFailures} failures within
 * {@code window}, further attempts from that address are refused without checking a password (no
 * PBKDF2 work) until the oldest failure leaves the window. Other addresses are not affected, so
 * the real operator still signs in while one host guesses. IPv6 sources count per /64, since one
 * host usually holds a whole /64. At most {@link #MAX_TRACKED} sources are remembered (least
 * recently failing forgotten first). Thread-safe.
 */
public final class LoginThrottle {
    public static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    /** Source key → failure times, oldest first; access order. Guarded by {@code this}. */
    private final LinkedHashMap<String, ArrayDeque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public LoginThrottle(Clock clock, int maxFailures, Duration window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures: " + maxFailures + " is below 1");
        }
        this.maxFailures = maxFailures;
    }

    /** How long {@code source} must wait before trying again; empty when it may try now. */
    public synchronized Optional<Duration> blockedFor(InetAddress source) {
        ArrayDeque<Instant> times = failures.get(key(source));
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        prune(times, now);
        if (times.size() < maxFailures) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, times.peekFirst().plus(window)));
    }

    /** Counts one failed sign-in from {@code source}. */
    public synchronized void failed(InetAddress source) {
        ArrayDeque<Instant> times = failures.computeIfAbsent(key(source), k -> new ArrayDeque<>());
        Instant now = clock.instant();
        prune(times, now);
        times.addLast(now);
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
    }

    /** Forgets the failures of {@code source} after it signed in. */
    public synchronized void succeeded(InetAddress source) {
        failures.remove(key(source));
    }

    private void prune(ArrayDeque<Instant> times, Instant now) {
        Instant horizon = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }

    private static String key(InetAddress source) {
        byte[] address = source.getAddress();
        if (source instanceof Inet6Address) {
            return "v6:" + Arrays.toString(Arrays.copyOf(address, 8));
        }
        return source.getHostAddress();
    }
}
