package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BreakEvenTest {
    @Test
    void revenuePerKwh_isHashpriceOver24TimesJPerTh() {
        // 1 PH/s at 21.5 J/TH draws 21.5 kW: 516 kWh a day for 55 USD.
        BreakEven be = BreakEven.of("S19 XP", new ModelEconomics.Efficiency(21.5, EfficiencySource.MEASURED), 55);

        assertThat(be.revenueUsdPerKwh()).isCloseTo(55.0 / 516, within(1e-12));
        assertThat(be.breakEvenUsdPerMwh()).isCloseTo(106.589, within(0.001));
        assertThat(be.source()).isEqualTo(EfficiencySource.MEASURED);
    }

    @Test
    void aNonPositiveEfficiency_isRefused() {
        assertThatThrownBy(() -> BreakEven.revenuePerKwh(50, 0)).hasMessage("jPerTh: 0.0 is not a positive number");
        assertThatThrownBy(() -> BreakEven.revenuePerKwh(Double.NaN, 20))
                .hasMessage("hashprice: NaN is not a finite number");
    }
}
