package io.headroom.agent.driver.cgminer;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.agent.profile.FirmwareProfile;
import java.time.Clock;
import java.util.Objects;

/** Builds {@link CgminerDriver}s for profiles with {@code driver: cgminer}. */
public final class CgminerDriverFactory implements DriverFactory {

    /** The name profiles use. */
    public static final String NAME = "cgminer";

    private final Clock clock;

    /** A factory whose drivers time-stamp polls with the system clock. */
    public CgminerDriverFactory() {
        this(Clock.systemUTC());
    }

    public CgminerDriverFactory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Driver create(DeviceConfig device, FirmwareProfile profile) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException("profile " + profile.id() + " is for driver '" + profile.driver()
                    + "', not " + NAME);
        }
        return new CgminerDriver(device, profile, clock);
    }
}
