package io.headroom.simulator.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.simulator.time.ManualClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A GPU server on an outlet: one model behind its BMC, its dcgm-exporter and the outlet's meter. */
@Timeout(60)
class SimulatedGpuServerIT {
    private static final Pattern GPU0_POWER = Pattern.compile("DCGM_FI_DEV_POWER_USAGE\\{gpu=\"0\"[^}]*} ([0-9.]+)");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SimulatedSite site;
    private SimulatedGpuServer gpu;

    @BeforeEach
    void start() throws Exception {
        site = SimulatedSite.start(SiteSpec.of(1, 3), clock);
        gpu = SimulatedGpuServer.start("gpu-01", 5L, 0.9, 25, clock, "headroom", "bmc-secret");
    }

    @AfterEach
    void stop() {
        gpu.close();
        site.close();
    }

    private HttpResponse<String> scrape(Duration timeout) throws Exception {
        return http.send(
                HttpRequest.newBuilder(gpu.dcgm().uri()).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double gpu0Watts() throws Exception {
        Matcher m = GPU0_POWER.matcher(scrape(Duration.ofSeconds(5)).body());
        assertThat(m.find()).as("gpu 0's power in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aCapOnTheModel_showsInDcgmAndOnTheOutlet() throws Exception {
        SitePower power = SitePower.of(
                site,
                java.util.List.of(new RackSpec("rack-1", java.util.List.of(0), 4)),
                java.util.List.of(new FeedSpec("feed-1", java.util.List.of("rack-1"))),
                Duration.ofSeconds(30));
        power.attach("rack-1", 2, gpu);
        double before = power.outletWatts("rack-1", 2);
        double gpuBefore = gpu0Watts();
        assertThat(before).isGreaterThan(5_000);
        assertThat(gpuBefore).isGreaterThan(500);

        gpu.model().setPowerCapWatts(4_000);
        clock.advance(Duration.ofSeconds(10));
        site.tick();

        assertThat(power.outletWatts("rack-1", 2)).isLessThan(4_000 + 50).isLessThan(before);
        assertThat(gpu0Watts()).isLessThan(gpuBefore).isCloseTo((4_000 - 1_200) / 8.0, within(20.0));
        assertThat(gpu.uuids()).hasSize(8).allSatisfy(u -> assertThat(u).matches("GPU-[0-9a-f-]{36}"));
    }

    @Test
    void outletOff_drawsNothingAndGoesDark_thenBootsBack() throws Exception {
        double energyBefore = gpu.energyKwh();
        gpu.cutPower(clock.instant());
        assertThat(gpu.powerWatts()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scrape(Duration.ofMillis(500)))
                .isInstanceOf(HttpTimeoutException.class);

        clock.advance(Duration.ofMinutes(10));
        gpu.advanceTo(clock.instant());
        assertThat(gpu.energyKwh()).as("no energy while cut").isCloseTo(energyBefore, within(1e-9));

        gpu.restorePower(clock.instant(), Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));
        gpu.advanceTo(clock.instant());
        assertThat(gpu.powerWatts()).isGreaterThan(5_000);
        assertThat(scrape(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(gpu.energyKwh()).isGreaterThan(energyBefore);
    }
}
