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

    /** A load that draws a fixed power while supplied, and records how it was switched. */
    private static final class FixedLoad implements OutletLoad {
        final java.util.List<String> events = new java.util.ArrayList<>();
        boolean powered = true;
        Instant advancedTo;

        @Override
        public double powerWatts() {
            return powered ? 5_600 : 0;
        }

        @Override
        public double energyKwh() {
            return 1.5;
        }

        @Override
        public void cutPower(Instant now) {
            powered = false;
            events.add("cut@" + now);
        }

        @Override
        public void restorePower(Instant now, Duration bootDelay) {
            powered = true;
            events.add("restore@" + now + "+" + bootDelay);
        }

        @Override
        public void advanceTo(Instant now) {
            advancedTo = now;
        }
    }

    @Test
    void anAttachedLoad_isMeteredSwitchedAndTickedLikeAMiner() {
        SitePower power = SitePower.uniform(site, 2, 4, 2, Duration.ofSeconds(10));
        FixedLoad gpu = new FixedLoad();
        double before = power.rackWatts("rack-3");

        power.attach("rack-3", 2, gpu);
        site.tick();

        assertThat(gpu.advancedTo).isEqualTo(site.clock().instant());
        assertThat(power.outletWatts("rack-3", 2)).isEqualTo(5_600);
        assertThat(power.outletEnergyKwh("rack-3", 2)).isEqualTo(1.5);
        assertThat(power.rackWatts("rack-3")).isEqualTo(before + 5_600, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(site.totalPowerWatts())
                .isEqualTo(
                        power.feedWatts("feed-1") + power.feedWatts("feed-2"),
                        org.assertj.core.api.Assertions.within(1e-6));

        power.switchOutlet("rack-3", 2, false);
        assertThat(power.outletWatts("rack-3", 2)).isZero();
        power.switchOutlet("rack-3", 2, true);
        assertThat(gpu.events)
                .containsExactly(
                        "cut@" + site.clock().instant(),
                        "restore@" + site.clock().instant() + "+PT10S");
        assertThat(power.fedBy("rack-3", 2))
                .as("not one of the site's LuxOS miners")
                .isEmpty();
    }

    @Test
    void attachingWhereSomethingHangsAlready_isRefused() {
        SitePower power = SitePower.uniform(site, 2, 4, 2, Duration.ofSeconds(10));
        assertThatThrownBy(() -> power.attach("rack-1", 1, new FixedLoad()))
                .hasMessageContaining("rack rack-1: outlet 1 feeds a miner already");
        power.attach("rack-1", 3, new FixedLoad());
        assertThatThrownBy(() -> power.attach("rack-1", 3, new FixedLoad()))
                .hasMessageContaining("rack rack-1: outlet 3 feeds a load already");
        assertThatThrownBy(() -> power.attach("rack-1", 5, new FixedLoad())).hasMessageContaining("no outlet 5");
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
