package io.headroom.simulator.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.simulator.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SitePowerIT {
    private SimulatedSite site;

    @BeforeEach
    void start() throws Exception {
        site = SimulatedSite.start(SiteSpec.of(5, 1), new ManualClock(Instant.parse("2026-12-01T12:00:00Z")));
        site.tick();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void uniform_dealsMinersToRacksAndRacksToFeeds_andSumsAgree() {
        SitePower power = SitePower.uniform(site, 2, 4, 2, Duration.ofSeconds(10));
        assertThat(power.racks()).extracting(RackSpec::id).containsExactly("rack-1", "rack-2", "rack-3");
        assertThat(power.rack("rack-3").miners()).containsExactly(4);
        assertThat(power.feeds())
                .extracting(FeedSpec::racks)
                .containsExactly(List.of("rack-1", "rack-2"), List.of("rack-3"));
        assertThat(power.fedBy("rack-2", 2)).contains(site.miner(3));
        assertThat(power.fedBy("rack-2", 3)).isEmpty();
        double sum = power.feedWatts("feed-1") + power.feedWatts("feed-2");
        assertThat(sum).isEqualTo(site.totalPowerWatts(), org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void anEmptyOutletSwitches_withoutTouchingAnyMiner() {
        SitePower power = SitePower.uniform(site, 5, 8, 1, Duration.ofSeconds(10));
        power.switchOutlet("rack-1", 8, false);
        assertThat(power.outletOn("rack-1", 8)).isFalse();
        assertThat(site.miners()).allSatisfy(m -> assertThat(m.powered()).isTrue());
    }

    @Test
    void badLayouts_areRefusedByName() {
        assertThatThrownBy(() -> SitePower.of(
                        site,
                        List.of(new RackSpec("a", List.of(0, 1), 4), new RackSpec("b", List.of(1), 4)),
                        List.of(),
                        Duration.ZERO))
                .hasMessageContaining("rack b: miner 1 is already on another outlet");
        assertThatThrownBy(
                        () -> SitePower.of(site, List.of(new RackSpec("a", List.of(9), 4)), List.of(), Duration.ZERO))
                .hasMessageContaining("rack a: miner 9 is not in the site (0..4)");
        assertThatThrownBy(() -> SitePower.of(
                        site,
                        List.of(new RackSpec("a", List.of(0), 4)),
                        List.of(new FeedSpec("f", List.of("z"))),
                        Duration.ZERO))
                .hasMessageContaining("feed f: no rack z");
        assertThatThrownBy(() -> new RackSpec("a", List.of(0, 1, 2), 2))
                .hasMessageContaining("3 miners do not fit on 2 outlets of rack a");
        SitePower power = SitePower.uniform(site, 5, 8, 1, Duration.ZERO);
        assertThatThrownBy(() -> power.switchOutlet("rack-1", 9, false))
                .hasMessageContaining("rack rack-1: no outlet 9 (1..8)");
    }
}
