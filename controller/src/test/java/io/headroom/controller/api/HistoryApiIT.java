package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.history.HistoryWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/devices/{id}/history} over a real socket: the points ingest kept, with unit,
 * for the viewer role; and every malformed, oversize or hostile query answered with a clear 4xx
 * while the server keeps serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryApiIT {
    private static final String POWER = "/api/v1/devices/m1/history?metric=power";

    @TempDir
    Path dir;

    private ApiFixture api;
    private String viewer;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")));
        viewer = api.bearer(TestUsers.VIEWER);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void viewer_readsThePointsIngestKept_withUnitTimesAndMax() throws Exception {
        // The fixture's Data stored 3250 W at 10:00:00 through ingest; two more buckets beside it.
        HistoryWriter writer = api.history.writer(api.context.store().record("m1"));
        long t0 = api.clock.millis();
        writer.record(0, 3000, t0 + 10_000);
        writer.record(0, 3100, t0 + 15_000);
        writer.record(0, 2900, t0 + 20_000);
        api.clock.advance(Duration.ofSeconds(25));

        ApiFixture.Reply reply = api.get(POWER + "&range=1h", viewer);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("device").asText()).isEqualTo("m1");
        assertThat(body.path("metric").asText()).isEqualTo("power");
        assertThat(body.path("unit").asText()).isEqualTo("W");
        assertThat(body.path("range").asText()).isEqualTo("1h");
        assertThat(body.path("resolutionSeconds").asInt()).isEqualTo(10);
        assertThat(body.path("kept").isBoolean()).isTrue();
        assertThat(body.path("kept").asBoolean()).isTrue();
        assertThat(body.path("to").asText()).isEqualTo("2026-12-01T10:00:25Z");
        assertThat(body.path("from").asText()).isEqualTo("2026-12-01T09:00:30Z");
        assertThat(body.path("points").toString())
                .isEqualTo("[{\"at\":\"2026-12-01T10:00:00Z\",\"value\":3250.0,\"max\":3250.0},"
                        + "{\"at\":\"2026-12-01T10:00:10Z\",\"value\":3050.0,\"max\":3100.0},"
                        + "{\"at\":\"2026-12-01T10:00:20Z\",\"value\":2900.0,\"max\":2900.0}]");

        ApiFixture.Reply day = api.get(POWER + "&range=1d", viewer);
        assertThat(day.status()).isEqualTo(200);
        assertThat(day.json().path("resolutionSeconds").asInt()).isEqualTo(300);
        // The open bucket's mean is exact (3062.5), and given, like every value, to the decimal the scale
        // keeps: a 12-bit scale over about 3,250 W keeps whole watts (D62).
        assertThat(day.json().path("points").toString())
                .isEqualTo("[{\"at\":\"2026-12-01T10:00:00Z\",\"value\":3062.0,\"max\":3250.0}]");
        // range defaults to the hour
        assertThat(api.get(POWER, viewer).json().path("range").asText()).isEqualTo("1h");
    }

    @Test
    void aDeclaredMetricWithoutSamples_isAnEmptySeries() throws Exception {
        ApiFixture.Reply reply = api.get("/api/v1/devices/m1/history?metric=temperature.chip%5Bboard1%5D", viewer);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("metric").asText()).isEqualTo("temperature.chip[board1]");
        assertThat(reply.json().path("unit").asText()).isEqualTo("°C");
        assertThat(reply.json().path("points").size()).isZero();
    }

    @Test
    void unknownDeviceOrMetric_is404_sayingWhatExists() throws Exception {
        ApiFixture.Reply device = api.get("/api/v1/devices/m9/history?metric=power", viewer);
        assertThat(device.status()).isEqualTo(404);
        assertThat(device.json().path("error").asText()).isEqualTo("no device 'm9'");

        ApiFixture.Reply metric = api.get("/api/v1/devices/m1/history?metric=fan.speed", viewer);
        assertThat(metric.status()).isEqualTo(404);
        assertThat(metric.json().path("error").asText())
                .isEqualTo("device 'm1' has no metric 'fan.speed'; it has: power, hashrate,"
                        + " temperature.chip[board1], temperature.chip[board2]");
    }

    @Test
    void badQueries_are400_withTheProblemNamed() throws Exception {
        assertError("/api/v1/devices/m1/history", 400, "query parameter 'metric' is required, once, e.g. metric=power");
        assertError(
                "/api/v1/devices/m1/history?metric=power&metric=hashrate",
                400,
                "query parameter 'metric' is required, once, e.g. metric=power");
        assertError(POWER + "&range=7d", 400, "range: must be one of 1h, 1d, got '7d'");
        assertError(POWER + "&range=1h&range=1d", 400, "query parameter 'range' given 2 times; give it once: 1h, 1d");
        assertError(POWER + "&since=0", 400, "unknown query parameter 'since'; known: metric, range");
        assertError(POWER + "%zz", 400, null);
        assertError(
                "/api/v1/devices/m1/history?metric=" + "x".repeat(3000),
                400,
                "metric: 3000 characters, more than the 200 allowed");
        // A hostile name comes back clipped, as text.
        ApiFixture.Reply hostile = api.get("/api/v1/devices/m1/history?metric=%3Cscript%3E" + "a".repeat(150), viewer);
        assertThat(hostile.status()).isEqualTo(404);
        assertThat(hostile.json().path("error").asText()).startsWith("device 'm1' has no metric '<script>aaa");
        assertThat(hostile.json().path("error").asText().length()).isLessThan(250);
    }

    @Test
    void anOversizeRequestLine_isRefused_andTheServerKeepsServing() throws Exception {
        ApiFixture.Reply huge = api.get("/api/v1/devices/m1/history?metric=" + "y".repeat(20_000), viewer);

        assertThat(huge.status()).isBetween(400, 431);
        assertThat(api.get(POWER, viewer).status()).isEqualTo(200);
    }

    @Test
    void withoutSignIn_is401_andWritesAre405() throws Exception {
        assertThat(api.get(POWER, "").status()).isEqualTo(401);

        ApiFixture.Reply post = api.post(POWER, api.bearer(TestUsers.OPERATOR), "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET");
    }

    @Test
    void aFloodOfReads_allAnswered() throws Exception {
        for (int i = 0; i < 200; i++) {
            assertThat(api.get(POWER + "&range=" + (i % 2 == 0 ? "1h" : "1d"), viewer)
                            .status())
                    .isEqualTo(200);
        }
        assertThat(api.registry.get("headroom.history.points").gauge().value()).isEqualTo(2);
    }

    private void assertError(String path, int status, String message) throws Exception {
        ApiFixture.Reply reply = api.get(path, viewer);
        assertThat(reply.status()).as(path + " -> " + reply.body()).isEqualTo(status);
        if (message != null) {
            assertThat(reply.json().path("error").asText()).isEqualTo(message);
        } else {
            assertThat(reply.json().path("error").asText()).isNotBlank();
        }
    }
}
