package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The broker's gauges keep reading after a GC: Micrometer holds a gauge's object weakly unless told otherwise. */
class BrokerMetricsTest {

    @Test
    void gauges_afterGarbageCollection_stillReadTheirSuppliers_notNaN() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int[] values = {1, 7};
        // Capturing lambdas, as BrokerTransport's are: new objects that nothing else holds.
        BrokerMetrics metrics = new BrokerMetrics(registry, () -> values[0], () -> values[1]);
        for (int i = 0; i < 3; i++) {
            // A weakly held lambda is cleared by the first full collection on HotSpot.
            System.gc();
        }
        assertThat(registry.get("headroom.broker.connected").gauge().value()).isEqualTo(1);
        assertThat(registry.get("headroom.broker.agents.live").gauge().value()).isEqualTo(7);
        metrics.close();
    }
}
