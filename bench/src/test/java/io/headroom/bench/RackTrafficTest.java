package io.headroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The in-place rewritten Data must decode as a normal message with the values the generator means. */
class RackTrafficTest {

    @Test
    void next_decodesWithItsSeqTimestampAndDriftedValues() throws Exception {
        RackTraffic traffic = new RackTraffic("rack-0001", 77, 3, 100, 5);
        Birth birth = WireCodec.decode(traffic.birth(), Birth.class);
        assertThat(birth.getDevicesCount()).isEqualTo(3);
        assertThat(birth.getDevices(0).getId()).isEqualTo("miner-000100");
        assertThat(birth.getSeq()).isEqualTo(1);

        int[] length = new int[1];
        double[] previous = null;
        for (long seq = 2; seq < 200; seq++) {
            byte[] bytes = traffic.next(seq, 1_700_000_000_000L + seq, length);
            Data data = WireCodec.decode(Arrays.copyOf(bytes, length[0]), Data.class);
            assertThat(data.getSeq()).isEqualTo(seq);
            assertThat(data.getTimestampMs()).isEqualTo(1_700_000_000_000L + seq);
            assertThat(data.getBootId()).isEqualTo(77);
            assertThat(data.getAliasCount()).isEqualTo(36);
            double[] values = new double[36];
            for (int i = 0; i < 36; i++) {
                values[i] = data.getValue(i);
                assertThat(values[i]).isEqualTo(traffic.value(i));
                String name = birth.getDevices(i / 12).getMetrics(i % 12).getName();
                var range = MetricDictionary.require(name);
                assertThat(values[i]).isBetween(range.plausibleMin(), range.plausibleMax());
                if (previous != null) {
                    assertThat(values[i]).as("sample %d changed", i).isNotEqualTo(previous[i]);
                    assertThat(Math.abs(values[i] - previous[i]))
                            .isLessThanOrEqualTo((range.plausibleMax() - range.plausibleMin()) * 0.001);
                }
            }
            previous = values;
        }
    }
}
