package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerSubscriptionsTest {

    @Test
    void filters_agentKindsAlways_signalAndPricesOnlyWhenUsed_sharedPrefixedWhileShared() {
        BrokerSubscriptions plain = new BrokerSubscriptions("s1", false, false, Optional.empty());
        assertThat(plain.filters(true))
                .containsExactly(
                        "headroom/v1/s1/+/birth",
                        "headroom/v1/s1/+/death",
                        "headroom/v1/s1/+/data",
                        "headroom/v1/s1/+/result");
        assertThat(plain.sharedConfigured()).isFalse();

        BrokerSubscriptions all = new BrokerSubscriptions("s1", true, true, Optional.of("g"));
        assertThat(all.filters(false)).contains("headroom/v1/s1/grid/signal", "headroom/v1/s1/market/+");
        assertThat(all.filters(true)).hasSize(6).allMatch(filter -> filter.startsWith("$share/g/headroom/v1/s1/"));
    }

    @Test
    void firstRefused_findsTheFirstCodeAtOrAbove0x80_andTreatsMissingCodesAsRefused() {
        assertThat(BrokerSubscriptions.firstRefused(new int[] {0, 1, 0}, 3)).isEqualTo(-1);
        assertThat(BrokerSubscriptions.firstRefused(new int[] {0, 0x87, 0x9E}, 3))
                .isEqualTo(1);
        assertThat(BrokerSubscriptions.firstRefused(new int[] {0}, 3)).isEqualTo(1);
        assertThat(BrokerSubscriptions.firstRefused(null, 2)).isZero();
        assertThat(BrokerSubscriptions.code(new int[] {0, 0x9E}, 1)).isEqualTo(0x9E);
        assertThat(BrokerSubscriptions.code(new int[] {0}, 4)).isEqualTo(0x80);
    }
}
