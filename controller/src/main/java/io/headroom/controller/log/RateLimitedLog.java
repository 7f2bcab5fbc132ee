package io.headroom.controller.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * At most {@code linesPerInterval} lines per key per interval; the rest are counted, and the first
 * line of the key after the interval says how many were suppressed ("… (suppressed 4211 similar
 * messages in the last 10 s)"). Keys are fixed words chosen by the caller ({@code bad-credentials},
 * {@code clock-ahead}), never attacker-chosen strings, so the key table stays small; it is capped
 * anyway. Thread-safe.
 *
 * <p>Why: a flood of wrong passwords, malformed packets or implausible samples must not become a
 * flood of log lines (the issue measured 12,000 lines per second), yet an operator must still see
 * that it happens and how much of it there was. Every line written and every line suppressed is
 * also counted in {@code headroom.log.lines{logger,outcome}}.
 */
public final class RateLimitedLog {
    private static final int MAX_KEYS = 1024;

    private final Logger logger;
    private final int linesPerInterval;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Counter written;
    private final Counter suppressed;

    private static final class Window {
        long startNanos;
        int lines;
        long suppressed;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /**
     * @param registry where {@code headroom.log.lines} is counted, tagged {@code logger} with the
     *     logger's simple name
     * @param nanoTime a monotonic clock ({@code System::nanoTime} outside tests)
     */
    public RateLimitedLog(
            Logger logger, int linesPerInterval, long intervalMillis, MeterRegistry registry, LongSupplier nanoTime) {
        if (linesPerInterval < 1 || intervalMillis < 1) {
            throw new IllegalArgumentException("linesPerInterval and intervalMillis must be positive: "
                    + linesPerInterval + ", " + intervalMillis);
        }
        this.logger = logger;
        this.linesPerInterval = linesPerInterval;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoTime = nanoTime;
        String name = logger.getName().substring(logger.getName().lastIndexOf('.') + 1);
        this.written = Counter.builder("headroom.log.lines")
                .tag("logger", name)
                .tag("outcome", "written")
                .description("Rate-limited log lines, written or suppressed")
                .register(registry);
        this.suppressed = Counter.builder("headroom.log.lines")
                .tag("logger", name)
                .tag("outcome", "suppressed")
                .description("Rate-limited log lines, written or suppressed")
                .register(registry);
    }

    public void info(String key, String format, Object... args) {
        log(Level.INFO, key, format, args);
    }

    public void warn(String key, String format, Object... args) {
        log(Level.WARN, key, format, args);
    }

    public void error(String key, String format, Object... args) {
        log(Level.ERROR, key, format, args);
    }

    /** Lines written so far (all keys). */
    public long written() {
        return (long) written.count();
    }

    /** Lines suppressed so far (all keys). */
    public long suppressed() {
        return (long) suppressed.count();
    }

    private void log(Level level, String key, String format, Object... args) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        long now = nanoTime.getAsLong();
        long previouslySuppressed;
        long windowSeconds;
        Window window = window(key, now);
        synchronized (window) {
            if (now - window.startNanos >= intervalNanos) {
                previouslySuppressed = window.suppressed;
                windowSeconds = Math.max(1, (now - window.startNanos) / 1_000_000_000L);
                window.startNanos = now;
                window.lines = 0;
                window.suppressed = 0;
            } else {
                previouslySuppressed = 0;
                windowSeconds = 0;
            }
            if (window.lines >= linesPerInterval) {
                window.suppressed++;
                suppressed.increment();
                return;
            }
            window.lines++;
        }
        written.increment();
        String line = previouslySuppressed == 0
                ? format
                : format + " (suppressed " + previouslySuppressed + " similar messages in the last " + windowSeconds
                        + " s)";
        logger.atLevel(level).log(line, args);
    }

    private Window window(String key, long now) {
        Window window = windows.get(key);
        if (window != null) {
            return window;
        }
        if (windows.size() >= MAX_KEYS) {
            prune(now);
        }
        return windows.computeIfAbsent(key, k -> new Window(now));
    }

    private void prune(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            synchronized (window) {
                if (now - window.startNanos >= intervalNanos && window.suppressed == 0) {
                    it.remove();
                }
            }
        }
    }
}
