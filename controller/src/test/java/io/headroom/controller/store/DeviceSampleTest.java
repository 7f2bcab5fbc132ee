package io.headroom.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A record's sample says what its view says, in slots instead of a map, and is a copy. */
class DeviceSampleTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    private static DeviceRecord pdu() {
        return new DeviceRecord(
                "pdu-1",
                "a1",
                "pdu",
                "AP8641",
                "apc/rpdu2",
                "",
                0,
                List.of(
                        new MetricSlot("power", "", "W"),
                        new MetricSlot("power", "A3", "W"),
                        new MetricSlot("temperature.inlet", "", "Cel")),
                List.of(DeviceCapability.of(Verb.VERB_OUTLET_OFF)),
                DeviceState.ONLINE,
                "",
                "",
                T0);
    }

    @Test
    void samplesTheSlotsTheViewShows() {
        DeviceRecord record = pdu();
        record.apply(1, 240.5, T0.toEpochMilli(), Quality.QUALITY_GOOD_VALUE, T0.toEpochMilli());
        // Outside the dictionary's range of power: stored with quality BAD, never as truth.
        record.apply(0, -5, T0.toEpochMilli(), Quality.QUALITY_GOOD_VALUE, T0.toEpochMilli());

        DeviceSample sample = record.sample();
        DeviceView view = record.view();

        assertThat(sample.slot("power[A3]")).isEqualTo(1);
        assertThat(sample.key(1)).isEqualTo("power[A3]");
        assertThat(sample.good(1)).isTrue();
        assertThat(sample.value(1)).isEqualTo(view.metric("power[A3]").value());
        assertThat(sample.atMillis(1)).isEqualTo(T0.toEpochMilli());
        assertThat(sample.has(0)).isTrue();
        assertThat(sample.good(0)).isFalse();
        assertThat(sample.quality(0)).isEqualTo(view.metric("power").quality());
        assertThat(sample.has(2)).as("declared, never read").isFalse();
        assertThat(view.metric("temperature.inlet")).isNull();
        assertThat(sample.slot("power[B1]")).isEqualTo(-1);
        assertThat(sample.has(-1)).isFalse();
        assertThat(sample.capabilities()).extracting(DeviceCapability::verb).containsExactly(Verb.VERB_OUTLET_OFF);
    }

    @Test
    void isACopyNotALiveView() {
        DeviceRecord record = pdu();
        record.apply(1, 240.5, T0.toEpochMilli(), Quality.QUALITY_GOOD_VALUE, T0.toEpochMilli());
        DeviceSample before = record.sample();

        record.apply(1, 10, T0.plusSeconds(1).toEpochMilli(), Quality.QUALITY_GOOD_VALUE, T0.toEpochMilli());
        record.setStatus(DeviceState.STALE, "no-data", "", T0.plusSeconds(30));

        assertThat(before.value(1)).isEqualTo(240.5);
        assertThat(before.status()).isEqualTo(DeviceState.ONLINE);
        assertThat(record.sample().value(1)).isEqualTo(10);
        assertThat(record.sample().status()).isEqualTo(DeviceState.STALE);
    }

    @Test
    void aViewsSampleMatchesTheRecordsOwn() {
        DeviceRecord record = pdu();
        record.apply(1, 240.5, T0.toEpochMilli(), Quality.QUALITY_GOOD_VALUE, T0.toEpochMilli());
        record.apply(2, 27, T0.toEpochMilli(), Quality.QUALITY_UNCERTAIN_VALUE, T0.toEpochMilli());

        DeviceSample own = record.sample();
        DeviceSample ofView = DeviceSample.of(record.view());

        for (String key : List.of("power[A3]", "temperature.inlet")) {
            int a = own.slot(key);
            int b = ofView.slot(key);
            assertThat(ofView.value(b)).isEqualTo(own.value(a));
            assertThat(ofView.good(b)).isEqualTo(own.good(a));
            assertThat(ofView.atMillis(b)).isEqualTo(own.atMillis(a));
        }
        assertThat(ofView.slot("power")).as("a view holds only what was read").isEqualTo(-1);
        assertThat(ofView.agent()).isEqualTo(own.agent());
        assertThat(ofView.inConflict()).isFalse();
    }
}
