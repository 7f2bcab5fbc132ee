package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryBufferTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private final TelemetryBuffer buffer = new TelemetryBuffer(List.of("m1", "m2"));
    private final AliasRegistry aliases = new AliasRegistry();

    private static PollResult online(Instant at, Reading... readings) {
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", null, List.of(readings));
    }

    private Data drain(Instant batchTime, boolean everyReading, boolean everyStatus) {
        Data.Builder batch = Data.newBuilder().setBootId(1).setSeq(1).setTimestampMs(batchTime.toEpochMilli());
        buffer.drainInto(batch, aliases, everyReading, everyStatus);
        return batch.build();
    }

    @Test
    void firstDrain_carriesEveryReadingAndStatus_withOffsetsFromBatchTime() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010), Reading.of("temperature.chip", "board1", 68)));
        buffer.polled(
                "m2",
                new PollResult(
                        T0.plusMillis(400),
                        DeviceHealth.DEVICE_HEALTH_OFFLINE,
                        "timeout",
                        "no reply within 2000 ms",
                        null,
                        List.of()));

        Data data = drain(T0.plusSeconds(1), false, false);

        assertThat(data.getValueList()).containsExactly(3010.0, 68.0);
        assertThat(data.getOffsetMsList()).containsExactly(-1000, -1000);
        assertThat(data.getQualityCount()).as("all good: no quality column").isZero();
        assertThat(data.getStatusList())
                .extracting(DeviceStatus::getDeviceId, DeviceStatus::getHealth, DeviceStatus::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""),
                        org.assertj.core.groups.Tuple.tuple("m2", DeviceHealth.DEVICE_HEALTH_OFFLINE, "timeout"));
        assertThat(aliases.hasUndeclared()).isTrue();
        assertThat(aliases.definitions("m1")).hasSize(2);
    }

    @Test
    void reportByException_onlyChangedValuesAndStatusesGoOut() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010), Reading.of("hashrate", "", 140)));
        drain(T0, false, false);

        buffer.polled("m1", online(T0.plusSeconds(5), Reading.of("power", "", 3012), Reading.of("hashrate", "", 140)));
        Data data = drain(T0.plusSeconds(5), false, false);

        assertThat(data.getValueList()).containsExactly(3012.0);
        assertThat(data.getOffsetMsCount())
                .as("at batch time: no offset column")
                .isZero();
        assertThat(data.getStatusCount()).as("health unchanged").isZero();
        assertThat(data.getAlias(0)).isEqualTo(aliases.aliasOf("m1", "power", ""));
    }

    @Test
    void fullRefresh_resendsEverything_andStatusRefresh_everyStatus() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010), Reading.of("hashrate", "", 140)));
        drain(T0, false, false);

        Data refresh = drain(T0.plusSeconds(1), true, true);

        assertThat(refresh.getValueList()).containsExactly(3010.0, 140.0);
        assertThat(refresh.getStatusList())
                .extracting(DeviceStatus::getDeviceId)
                .containsExactly("m1");
    }

    @Test
    void whileNotDrained_latestValueWins() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010)));
        buffer.polled("m1", online(T0.plusSeconds(5), Reading.of("power", "", 40)));

        Data data = drain(T0.plusSeconds(5), false, false);

        assertThat(data.getValueList()).containsExactly(40.0);
    }

    @Test
    void uncertainReading_sendsQualityColumn() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010), Reading.of("temperature.chip", "", 255)));

        Data data = drain(T0, false, false);

        assertThat(data.getQualityList()).containsExactly(Quality.QUALITY_GOOD, Quality.QUALITY_UNCERTAIN);
    }

    @Test
    void allPolled_onlyOnceEveryDeviceReported_whateverItsHealth() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010)));
        assertThat(buffer.allPolled()).isFalse();

        buffer.polled("m2", PollResult.offline(T0, "timeout", "no reply"));

        assertThat(buffer.allPolled()).isTrue();
    }

    @Test
    void declareAll_givesAliasesToUndrainedReadings_withoutDrainingThem() {
        buffer.polled("m1", online(T0, Reading.of("power", "", 3010), Reading.of("fan.speed", "fan1", 4200)));

        buffer.declareAll(aliases);

        assertThat(aliases.definitions("m1"))
                .extracting(def -> def.getName() + "/" + def.getInstance())
                .containsExactly("power/", "fan.speed/fan1");
        assertThat(drain(T0, false, false).getValueList()).containsExactly(3010.0, 4200.0);
    }

    @Test
    void aliases_areStableAndUniqueAcrossDevices() {
        int a = aliases.aliasOf("m1", "power", "");
        int b = aliases.aliasOf("m2", "power", "");

        assertThat(a).isNotEqualTo(b);
        assertThat(aliases.aliasOf("m1", "power", "")).isEqualTo(a);
        assertThat(aliases.definitions("m2")).singleElement().satisfies(def -> {
            assertThat(def.getUnit()).isEqualTo("W");
            assertThat(def.getAlias()).isEqualTo(b);
        });
    }
}
