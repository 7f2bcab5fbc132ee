package io.headroom.agent.driver.dcgm;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.simulator.gpu.dcgm.SimulatedDcgmExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dcgm driver keeps each poll's GET and the exporter's exposition text as it came. */
@Timeout(30)
class DcgmRawReplyTest {

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private final SimulatedDcgmExporter exporter;
    private Driver driver;

    DcgmRawReplyTest() throws Exception {
        exporter = new SimulatedDcgmExporter(() -> DcgmTestDevices.HEALTHY, "gpu-node-07");
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        exporter.close();
        context.close();
    }

    @Test
    void poll_keepsTheGetAndTheExpositionText() throws Exception {
        driver = DcgmTestDevices.driver(exporter.port(), Duration.ofMillis(1500), context);
        RawReplyRecorder recorder = context.rawReplies().recorder("gpu" + exporter.port());

        recorder.pollStarted();
        PollResult result = driver.poll();
        recorder.pollEnded();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.request()).startsWith("GET /metrics");
        String direct = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        // The exporter's samples are steady for a healthy fleet: the same exposition, byte for byte.
        assertThat(raw.reply()).isEqualTo(direct);
        assertThat(raw.reply()).contains("DCGM_FI_DEV_POWER_USAGE");
    }
}
