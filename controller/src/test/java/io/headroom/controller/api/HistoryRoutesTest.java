package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.history.History;
import io.headroom.controller.history.HistorySettings;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the history answer says of a metric {@code history.metrics} leaves out (D61): {@code kept:
 * false}, so the page says "not kept" instead of waiting for points that will never come. Over a
 * socket, the rest of the answer is {@link HistoryApiIT}'s.
 */
class HistoryRoutesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aMetricLeftOutOfTheHistory_isKeptFalse_withNoPoints_andAKeptOneIsKeptTrue() throws Exception {
        StateStore store = new StateStore();
        DeviceRecord m1 = new DeviceRecord(
                "m1",
                "rack-1",
                "miner",
                "S19",
                "bitmain/s19",
                "",
                3250,
                List.of(new MetricSlot("power", "", "W"), new MetricSlot("fan.speed", "1", "rpm")),
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                NOW);
        store.replaceAgentDevices("rack-1", List.of(m1));
        History history = new History(new HistorySettings(List.of("power")), new SimpleMeterRegistry());
        history.writer(m1).record(0, 3250, NOW.toEpochMilli());
        history.writer(m1).record(1, 4200, NOW.toEpochMilli());
        HistoryRoutes routes = new HistoryRoutes(store, history, Clock.fixed(NOW, ZoneOffset.UTC));

        JsonNode fan = body(routes.history("m1", "/api/v1/devices/m1/history?metric=fan.speed%5B1%5D"));
        assertThat(fan.path("kept").asBoolean(true)).isFalse();
        assertThat(fan.path("metric").asText()).isEqualTo("fan.speed[1]");
        assertThat(fan.path("points").size()).isZero();

        JsonNode power = body(routes.history("m1", "/api/v1/devices/m1/history?metric=power"));
        assertThat(power.path("kept").asBoolean(false)).isTrue();
        assertThat(power.path("points").size()).isEqualTo(1);
    }

    private static JsonNode body(FullHttpResponse response) throws Exception {
        try {
            assertThat(response.status().code()).isEqualTo(200);
            return new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }
}
