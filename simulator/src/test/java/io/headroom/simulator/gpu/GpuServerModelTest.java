package io.headroom.simulator.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuServerModelTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final GpuSpec HGX = GpuSpec.hgxH100();

    private static GpuServerModel fullLoad(long seed) {
        return new GpuServerModel(HGX, seed, 1.0, 25, T0);
    }

    @Test
    void fullLoad_uncapped_drawsAboutTdpPerGpuPlusHost() {
        GpuServerModel model = fullLoad(1);

        model.advanceTo(T0.plusSeconds(60));

        for (GpuSnapshot gpu : model.gpus()) {
            assertThat(gpu.powerWatts()).isCloseTo(700, within(HGX.noiseWatts() + 0.01));
            assertThat(gpu.enforcedLimitWatts()).isEqualTo(700);
            assertThat(gpu.utilisationPercent()).isEqualTo(100);
        }
        assertThat(model.chassisPowerWatts()).isCloseTo(1200 + 8 * 700, within(8 * HGX.noiseWatts() + 0.1));
    }

    @Test
    void idle_drawsIdlePower() {
        GpuServerModel model = new GpuServerModel(HGX, 1, 0.0, 25, T0);

        model.advanceTo(T0.plusSeconds(10));

        assertThat(model.gpus())
                .allSatisfy(gpu -> assertThat(gpu.powerWatts()).isCloseTo(70, within(HGX.noiseWatts() + 0.01)));
    }

    @Test
    void cap_isSharedAndRespected_onceSettled() {
        GpuServerModel model = fullLoad(2);
        model.setPowerCapWatts(4400); // (4400 - 1200) / 8 = 400 W per GPU

        model.advanceTo(T0.plusSeconds(10));

        assertThat(model.gpuLimitWatts()).isEqualTo(400);
        for (GpuSnapshot gpu : model.gpus()) {
            // A first-order lag approaches the limit from above: within a milliwatt after 20 time constants.
            assertThat(gpu.powerWatts()).isCloseTo(400, within(0.001));
            assertThat(gpu.enforcedLimitWatts()).isEqualTo(400);
        }
        assertThat(model.chassisPowerWatts()).isLessThanOrEqualTo(4400 + 0.01);
    }

    @Test
    void lowerCap_powerRampsDown_firstOrder() {
        GpuServerModel model = fullLoad(3);
        model.advanceTo(T0.plusSeconds(5));
        double before = model.gpus().get(0).powerWatts();
        model.setPowerCapWatts(HGX.allowableMinWatts()); // 200 W per GPU

        model.advanceTo(T0.plusSeconds(5).plus(HGX.powerTau()));
        double oneTau = model.gpus().get(0).powerWatts();
        model.advanceTo(T0.plusSeconds(10));
        double settled = model.gpus().get(0).powerWatts();

        // After one time constant about 63 % of the step is done; after ten, all of it.
        double done = (before - oneTau) / (before - 200);
        assertThat(done).isBetween(0.55, 0.70);
        assertThat(settled).isCloseTo(200, within(0.05)); // e^-10 of the 500 W step
    }

    @Test
    void temperature_followsPowerWithItsOwnLag() {
        GpuServerModel model = fullLoad(4);
        double hot = model.gpus().get(0).temperatureC();
        model.setDemand(0);

        model.advanceTo(T0.plusSeconds(2));
        double soon = model.gpus().get(0).temperatureC();
        model.advanceTo(T0.plusSeconds(300));
        double cool = model.gpus().get(0).temperatureC();

        assertThat(hot).isCloseTo(25 + 45, within(1.0));
        assertThat(soon).isLessThan(hot).isGreaterThan(cool + 10);
        assertThat(cool).isCloseTo(25 + 70 * HGX.riseCPerWatt(), within(0.5));
    }

    @Test
    void energy_isTheIntegralOfPower() {
        GpuServerModel model = new GpuServerModel(
                new GpuSpec("flat", 1, 700, 70, 200, 0, Duration.ofMillis(500), Duration.ofSeconds(20), 0.06, 0),
                1,
                1.0,
                25,
                T0);

        model.advanceTo(T0.plusSeconds(100));

        assertThat(model.gpus().get(0).energyMillijoules()).isCloseTo(700L * 100 * 1000, within(10L));
    }

    @Test
    void capOutsideAllowableRange_isRefusedNamingTheRange() {
        GpuServerModel model = fullLoad(5);

        assertThatThrownBy(() -> model.setPowerCapWatts(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2800.0 to 6800.0 W");
        assertThat(model.powerCapWatts()).isEqualTo(6800);
    }

    @Test
    void sameSeedAndCalls_giveSameValues_otherSeedDiffers() {
        List<GpuSnapshot> a = run(7);
        List<GpuSnapshot> b = run(7);
        List<GpuSnapshot> c = run(8);

        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static List<GpuSnapshot> run(long seed) {
        GpuServerModel model = fullLoad(seed);
        model.advanceTo(T0.plusSeconds(3));
        model.setPowerCapWatts(5000);
        model.setDemand(2, 0.5);
        model.advanceTo(T0.plusSeconds(9));
        return model.gpus();
    }
}
