package io.headroom.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.cgminer.CgminerDriverFactory;
import io.headroom.agent.profile.FirmwareProfile;
import io.headroom.agent.profile.ProfileCatalog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DriverRegistryTest {

    private final FirmwareProfile luxos = ProfileCatalog.loadBuiltIn().find("luxor/luxos").orElseThrow();
    private final DeviceConfig device =
            new DeviceConfig("miner-1", "luxor/luxos", "127.0.0.1", 4028, Duration.ofSeconds(5), Duration.ofSeconds(2));

    @Test
    void of_duplicateNames_isRejected() {
        assertThatThrownBy(() -> DriverRegistry.of(new CgminerDriverFactory(), new CgminerDriverFactory()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate driver name 'cgminer'");
    }

    @Test
    void create_profileOfRegisteredDriver_buildsIt() {
        try (Driver driver = DriverRegistry.of(new CgminerDriverFactory()).create(device, luxos)) {
            assertThat(driver).isNotNull();
        }
    }

    @Test
    void create_unknownDriver_isRejectedNamingIt() {
        DriverRegistry registry = DriverRegistry.of();
        assertThatThrownBy(() -> registry.create(device, luxos))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs driver 'cgminer'");
    }
}
