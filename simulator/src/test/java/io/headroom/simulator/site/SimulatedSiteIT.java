package io.headroom.simulator.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.protocol.Mode;
import io.headroom.simulator.cgminer.RpcTestClient;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedSiteIT {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void twoHundredMiners_startedAtOnce_allAnswerWithTheirOwnIdentity() throws Exception {
        try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(200, 11), new ManualClock(T0))) {
            List<InetSocketAddress> addresses = site.addresses();
            assertThat(addresses).hasSize(200);
            assertThat(new HashSet<>(addresses)).hasSize(200);

            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<JsonNode>> replies = new ArrayList<>();
                for (InetSocketAddress address : addresses) {
                    replies.add(pool.submit(() -> RpcTestClient.command(address, "config")));
                }
                for (int i = 0; i < replies.size(); i++) {
                    JsonNode config = replies.get(i)
                            .get(20, TimeUnit.SECONDS)
                            .path("CONFIG")
                            .path(0);
                    assertThat(config.path("MACAddr").asText())
                            .isEqualTo(site.miner(i).identity().macAddress());
                    assertThat(config.path("Model").asText()).isEqualTo("Antminer S19 XP");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(site.totalPowerWatts()).isCloseTo(200 * 3010, within(200 * 3010 * 0.01));
        }
    }

    @Test
    void tick_advancesEveryModelToTheClock_andSleptMinersDropTheSitePower() throws IOException {
        ManualClock clock = new ManualClock(T0);
        try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(4, 3), clock)) {
            site.miner(0).model().sleep();
            site.miner(1).model().sleep();
            clock.advance(Duration.ofMinutes(1));
            site.tick();

            assertThat(site.miners())
                    .allSatisfy(m -> assertThat(m.snapshot().at()).isEqualTo(clock.instant()));
            assertThat(site.miner(0).snapshot().mode()).isEqualTo(Mode.SLEEP);
            assertThat(site.totalPowerWatts()).isCloseTo(2 * 3010 + 2 * 30, within(2 * 3010 * 0.01 + 1));
        }
    }

    @Test
    void sameSeed_givesTheSameMinersAndReadings() throws IOException {
        ManualClock clockA = new ManualClock(T0);
        ManualClock clockB = new ManualClock(T0);
        try (SimulatedSite a = SimulatedSite.start(SiteSpec.of(3, 99), clockA);
                SimulatedSite b = SimulatedSite.start(SiteSpec.of(3, 99), clockB)) {
            clockA.advance(Duration.ofSeconds(42));
            clockB.advance(Duration.ofSeconds(42));
            a.tick();
            b.tick();
            for (int i = 0; i < 3; i++) {
                assertThat(a.miner(i).identity()).isEqualTo(b.miner(i).identity());
                assertThat(a.miner(i).snapshot()).isEqualTo(b.miner(i).snapshot());
            }
            assertThat(a.miner(0).snapshot().powerWatts())
                    .isNotEqualTo(a.miner(1).snapshot().powerWatts());
        }
    }

    @Test
    void close_isIdempotentAndFreesEveryPort() throws IOException {
        SimulatedSite site = SimulatedSite.start(SiteSpec.of(3, 5), Clock.systemUTC());
        List<InetSocketAddress> addresses = site.addresses();
        site.close();
        site.close();
        for (InetSocketAddress address : addresses) {
            assertThatThrownBy(() -> RpcTestClient.command(address, "summary")).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void fixedBasePort_bindsConsecutivePorts() throws IOException {
        int base;
        try (ServerSocket probe = new ServerSocket(0)) {
            base = probe.getLocalPort();
        }
        try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(1, 1).withBasePort(base), Clock.systemUTC())) {
            assertThat(site.miner(0).port()).isEqualTo(base);
            assertThat(RpcTestClient.command(site.miner(0).address(), "version")
                            .path("VERSION")
                            .isArray())
                    .isTrue();
        }
    }

    @Test
    void startTicking_advancesModelsInRealTime() throws IOException {
        try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(2, 8), Clock.systemUTC())) {
            Instant started = site.miner(0).snapshot().at();
            site.startTicking(Duration.ofMillis(20));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> site.miner(1).snapshot().at().isAfter(started));
            assertThat(site.tickFailures()).isZero();
        }
    }
}
