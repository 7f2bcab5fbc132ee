package io.headroom.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.cgminer.CgminerDriverFactory;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DriverRegistryTest {

    private final DeviceConfig device = TestDevices.cgminer(
            "miner-1", "luxor/luxos", "127.0.0.1", 4028, Duration.ofSeconds(5), Duration.ofSeconds(2));

    @Test
    void of_duplicateNames_isRejected() {
        assertThatThrownBy(() -> DriverRegistry.of(new CgminerDriverFactory(), new CgminerDriverFactory()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate driver name 'cgminer'");
    }

    @Test
    void create_profileOfRegisteredDriver_buildsIt() {
        DriverRegistry registry = DriverRegistry.of(new CgminerDriverFactory());
        try (Driver driver = registry.create(device, TestDevices.PROFILES, TestDevices.context(Clock.systemUTC()))) {
            assertThat(driver).isNotNull();
        }
    }

    @Test
    void create_unknownDriver_isRejectedNamingIt() {
        DriverRegistry registry = DriverRegistry.of();
        assertThatThrownBy(() -> registry.create(device, TestDevices.PROFILES, TestDevices.context(Clock.systemUTC())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs driver 'cgminer'");
    }
}
