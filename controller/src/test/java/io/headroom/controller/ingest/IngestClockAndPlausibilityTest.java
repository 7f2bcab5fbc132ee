package io.headroom.controller.ingest;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.controller.store.SitePower;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 8, problems 6 (a clock jump freezes readings) and 7 (implausible readings are summed). */
class IngestClockAndPlausibilityTest {

    private static final String SITE = "demo";
    private static final String AGENT = "rack-1";
    private static final long BOOT = 77;
    private static final long HOUR = 3_600_000;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Ingest ingest;
    private long seq = 1;

    @BeforeEach
    void setUp() {
        ingest = new Ingest(SITE, store, publisher, (agent, result) -> {}, clock, registry, Duration.ofSeconds(5));
        ingest.agentConnected(AGENT);
        send(
                TopicKind.BIRTH,
                WireCodec.encode(birth(AGENT, BOOT, seq, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(miner("m2", 20))
                        .build()));
    }

    private void send(TopicKind kind, byte[] bytes) {
        ingest.agentMessage(Topics.agent(SITE, AGENT, kind), ByteBuffer.wrap(bytes));
    }

    /** One Data from the agent, stamped {@code agentMillis}, with m1's power. */
    private void power(long agentMillis, double watts) {
        seq++;
        send(
                TopicKind.DATA,
                WireCodec.encode(data(BOOT, seq, agentMillis)
                        .addAlias(10)
                        .addValue(watts)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build()));
    }

    private DeviceView m1() {
        return store.device("m1").orElseThrow();
    }

    private double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void agentClockAnHourAheadFor15sThenCorrected_laterSamplesAreAcceptedNotFrozen() {
        // Problem 6 as reproduced: 1 h ahead for 15 s (one Data per second), then corrected.
        for (int i = 0; i < 15; i++) {
            power(clock.millis() + HOUR, 3000 + i);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(m1().metric("power").at()).isBeforeOrEqualTo(clock.instant());
        assertThat(m1().agentClockOffsetMs()).isEqualTo(HOUR);
        assertThat(counter("headroom.ingest.samples.restamped", "reason", "clock-ahead"))
                .isEqualTo(15);

        for (int i = 0; i < 20; i++) {
            power(clock.millis() - 50, 2000 + i);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(counter("headroom.ingest.samples", "outcome", "out-of-order"))
                .isZero();
        assertThat(counter("headroom.ingest.samples", "outcome", "applied")).isEqualTo(35);
        MetricReading power = m1().metric("power");
        assertThat(power.value()).isEqualTo(2019);
        assertThat(power.at()).isEqualTo(clock.instant().minusSeconds(1).minusMillis(50));
        assertThat(m1().agentClockOffsetMs()).isEqualTo(-50);
    }

    @Test
    void aClockAheadWithinTheTolerance_isKeptAndStillNeverBlocksACorrectedClock() {
        power(clock.millis() + 4_000, 3000);
        assertThat(m1().metric("power").at()).isEqualTo(clock.instant().plusSeconds(4));
        clock.advance(Duration.ofSeconds(1));

        power(clock.millis(), 3100);

        assertThat(m1().metric("power").value()).isEqualTo(3100);
        assertThat(counter("headroom.ingest.samples.restamped", "reason", "clock-ahead"))
                .isZero();
    }

    @Test
    void aSampleOlderThanAStoredPastOne_isStillOutOfOrder() {
        power(clock.millis() - 1_000, 3000);
        seq++;
        send(
                TopicKind.DATA,
                WireCodec.encode(data(BOOT, seq, clock.millis() - 2_000)
                        .addAlias(10)
                        .addValue(1)
                        .build()));

        assertThat(m1().metric("power").value()).isEqualTo(3000);
        assertThat(counter("headroom.ingest.samples", "outcome", "out-of-order"))
                .isEqualTo(1);
    }

    @Test
    void minus250000W_isStoredBadAndLeftOutOfTheSitePower() {
        seq++;
        send(
                TopicKind.DATA,
                WireCodec.encode(data(BOOT, seq, clock.millis())
                        .addAlias(10)
                        .addValue(-250_000)
                        .addQuality(Quality.QUALITY_UNCERTAIN)
                        .addAlias(20)
                        .addValue(3200)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .addStatus(status("m2", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build()));

        assertThat(m1().metric("power").quality()).isEqualTo(Quality.QUALITY_BAD);
        assertThat(m1().metric("power").value()).isEqualTo(-250_000);
        assertThat(store.device("m2").orElseThrow().metric("power").quality()).isEqualTo(Quality.QUALITY_GOOD);
        assertThat(store.sitePower()).isEqualTo(new SitePower(3200, 1, 1));
        assertThat(counter("headroom.ingest.samples", "outcome", "implausible")).isEqualTo(1);
    }

    @Test
    void plausibleButLaterImplausible_replacesTheTrustedValueWithABadOne() {
        power(clock.millis(), 3000);
        assertThat(store.sitePower().watts()).isEqualTo(3000);

        clock.advance(Duration.ofSeconds(1));
        power(clock.millis(), 1e9);

        assertThat(store.sitePower()).isEqualTo(new SitePower(0, 0, 1));
    }
}
