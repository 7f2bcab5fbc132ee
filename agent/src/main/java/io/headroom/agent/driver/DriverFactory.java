package io.headroom.agent.driver;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.config.ConfigBinder;
import io.headroom.config.Problems;
import io.headroom.profiles.FirmwareProfile;

/**
 * Builds drivers of one protocol family, and owns everything that family means in config files: the
 * device's driver block in {@code agent.yaml} ({@code S}) and the {@code match:} and {@code points:}
 * sections of its profiles ({@code P}). Registered explicitly in a {@link DriverRegistry}.
 *
 * <p>Adding a driver kind is writing one of these, its settings and points records and its driver,
 * without touching the agent's config loader, the scheduler or the publisher.
 *
 * @param <S> the record a device's driver block binds to (host and port, a bus and unit id …)
 * @param <P> the driver's compiled form of a profile
 */
public interface DriverFactory<S extends Record, P> {

    /** The name profiles use in {@code driver:} and device configs use as their block's key. */
    String name();

    /** The record a device's {@code <name>:} block binds to. */
    Class<S> settingsType();

    /**
     * Checks a profile's driver-specific parts and compiles them, once per profile: binds
     * {@code points:} and every {@code match:} rule, and checks them against the profile's
     * capabilities (every capability has a way to be sent and read back; nothing is sent that no
     * capability declares). Problems go to {@code problems} with their file, line and path.
     *
     * @return the compiled form, or null when there was a problem
     */
    P compile(FirmwareProfile profile, ConfigBinder binder, Problems problems);

    /**
     * The lane a device's requests run on: the scheduler runs one request at a time per lane. A device
     * of its own by default; a shared medium (one RS-485 bus) puts all its devices on one lane.
     */
    default String lane(DeviceConfig device, S settings) {
        return "device:" + device.id();
    }

    /**
     * True if this driver can tell which of its profiles a device runs ({@link #identify}), so that a
     * device may be configured with {@code profile: auto}.
     */
    default boolean identifies() {
        return false;
    }

    /**
     * For a device configured with {@code profile: auto}: asks the device what the candidates' match
     * rules read, and returns the first candidate (in catalogue order) whose rules match. Called on
     * the device's lane, bounded by the device's timeout per request.
     *
     * @param candidates every usable profile of this driver, compiled
     * @return empty when the device answers but no candidate's rule matches
     * @throws IdentificationException when the device cannot be asked (not answering, garbage), so
     *     that identification is tried again at the next poll
     */
    default java.util.Optional<FirmwareProfile> identify(
            DeviceConfig device, S settings, java.util.Map<FirmwareProfile, P> candidates, DriverContext context)
            throws IdentificationException, InterruptedException {
        throw new UnsupportedOperationException(name() + " cannot identify devices; name their profile");
    }

    /**
     * Builds the driver of one device. Opens nothing yet: connections are made by the first poll.
     *
     * @param device the common keys of the device's config
     * @param settings its driver block
     * @param profile the device's profile, already compiled into {@code compiled}
     * @param context clocks, meters, secrets and the agent's shared transports
     */
    Driver create(DeviceConfig device, S settings, FirmwareProfile profile, P compiled, DriverContext context);
}
