package io.headroom.agent.driver.dcgm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DcgmBlankTest {

    @Test
    void int64Sentinels_areBlank() {
        for (String text :
                new String[] {"9223372036854775792", "9223372036854775793", "9223372036854775794", "9223372036854775795"
                }) {
            assertThat(DcgmBlank.isBlank(Double.parseDouble(text), false))
                    .as(text)
                    .isTrue();
            assertThat(DcgmBlank.isBlank(Double.parseDouble(text), true))
                    .as(text)
                    .isTrue();
        }
    }

    @Test
    void int32Sentinels_areBlankExceptInCounters() {
        for (long v = 2147483632L; v <= 2147483635L; v++) {
            assertThat(DcgmBlank.isBlank(v, false)).as("%d", v).isTrue();
            assertThat(DcgmBlank.isBlank(v, true)).as("counter %d", v).isFalse();
        }
        assertThat(DcgmBlank.isBlank(2147483631L, false)).isFalse();
        assertThat(DcgmBlank.isBlank(2147483636L, false)).isFalse();
        assertThat(DcgmBlank.isBlank(2147483632.5, false)).isFalse();
    }

    @Test
    void fp64Sentinels_areBlank() {
        assertThat(DcgmBlank.isBlank(140737488355328.0, false)).isTrue();
        assertThat(DcgmBlank.isBlank(140737488355331.0, true)).isTrue();
        assertThat(DcgmBlank.isBlank(140737488355332.0, false)).isFalse();
    }

    @Test
    void ordinaryReadings_areNotBlank() {
        for (double v : new double[] {0, -1, 33, 655.5, 2.592e11, 1e15, Double.NaN}) {
            assertThat(DcgmBlank.isBlank(v, false)).as("%s", v).isFalse();
        }
    }
}
