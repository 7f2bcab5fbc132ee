package io.headroom.controller.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class RateLimitedLogTest {

    /** Keeps every line it is given, formatted. */
    static final class CapturingLogger extends AbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new ArrayList<>();

        CapturingLogger() {
            this.name = "io.headroom.test.Capturing";
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String format, Object[] arguments, Throwable throwable) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(format, arguments));
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }

    private final CapturingLogger logger = new CapturingLogger();
    private final AtomicLong nanos = new AtomicLong(7);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RateLimitedLog log = new RateLimitedLog(logger, 3, 10_000, registry, nanos::get);

    @Test
    void atMostThreeLinesPerKeyPerInterval_thenTheNextSaysHowManyWereSuppressed() {
        for (int i = 0; i < 1000; i++) {
            log.warn("bad-credentials", "refused '{}'", "u" + i);
        }
        assertThat(logger.lines).containsExactly("WARN refused 'u0'", "WARN refused 'u1'", "WARN refused 'u2'");

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.warn("bad-credentials", "refused '{}'", "late");

        assertThat(logger.lines)
                .last()
                .isEqualTo("WARN refused 'late' (suppressed 997 similar messages in the last 10 s)");
        assertThat(log.written()).isEqualTo(4);
        assertThat(log.suppressed()).isEqualTo(997);
        assertThat(registry.get("headroom.log.lines")
                        .tags("logger", "Capturing", "outcome", "suppressed")
                        .counter()
                        .count())
                .isEqualTo(997);
    }

    @Test
    void keysAreLimitedSeparately_andLevelsKept() {
        for (int i = 0; i < 5; i++) {
            log.error("device-conflict", "conflict {}", i);
            log.info("connect-timeout", "timeout {}", i);
        }

        assertThat(logger.lines)
                .containsExactly(
                        "ERROR conflict 0",
                        "INFO timeout 0",
                        "ERROR conflict 1",
                        "INFO timeout 1",
                        "ERROR conflict 2",
                        "INFO timeout 2");
    }
}
