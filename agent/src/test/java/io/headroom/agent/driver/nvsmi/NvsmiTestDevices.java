package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.config.ConfigNode;
import java.time.Duration;
import java.util.Optional;

/** Devices for the nvidia-smi driver's tests. */
final class NvsmiTestDevices {

    static final String PROFILE = "nvidia/nvidia-smi";

    private NvsmiTestDevices() {}

    static Driver driver(String executable, Duration timeout, DriverContext context) {
        DeviceConfig device = new DeviceConfig(
                "gpuhost",
                PROFILE,
                NvsmiDriverFactory.NAME,
                Duration.ofSeconds(10),
                timeout,
                Optional.empty(),
                new NvsmiSettings(executable),
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        return TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
    }
}
