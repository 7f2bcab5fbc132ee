package io.headroom.agent;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.publish.BirthDevice;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceKind;
import java.util.List;
import java.util.Optional;

/**
 * What the agent tells the controller about one device (its Birth entry) and which commands it takes,
 * from the device's profile as far as it is known: the configured one, or for {@code profile: auto}
 * the one its driver has identified. An auto device not identified yet is declared with the kind its
 * candidate profiles share, the profile {@code auto}, no nameplate and no capabilities.
 */
final class DeviceFacts {

    private final DeviceConfig device;
    private final Driver driver;
    private final DriverRegistry.CompiledProfiles profiles;
    private final DeviceKind candidatesKind;
    private volatile Known known;

    /** The facts of one identified profile, computed once. */
    private record Known(FirmwareProfile profile, List<io.headroom.protocol.wire.Capability> capabilities) {}

    DeviceFacts(DeviceConfig device, Driver driver, DriverRegistry.CompiledProfiles profiles) {
        this.device = device;
        this.driver = driver;
        this.profiles = profiles;
        // The loader has checked that the candidates of an auto device agree on their kind.
        this.candidatesKind = DriverRegistry.candidates(device.driver(), profiles).stream()
                .map(FirmwareProfile::deviceKind)
                .findFirst()
                .orElse(DeviceKind.DEVICE_KIND_UNSPECIFIED);
    }

    private Optional<Known> known() {
        Known current = known;
        if (current == null) {
            Optional<FirmwareProfile> profile = DriverRegistry.currentProfile(device, driver, profiles);
            if (profile.isEmpty()) {
                return Optional.empty();
            }
            current = new Known(
                    profile.get(),
                    profile.get().checkedCapabilities().values().stream()
                            .map(Capability::toWire)
                            .toList());
            known = current;
        }
        return Optional.of(current);
    }

    /** The device's entry in the next Birth. */
    BirthDevice birth() {
        return known().map(k -> new BirthDevice(
                        device.id(),
                        k.profile().deviceKind(),
                        k.profile().id(),
                        k.profile().nameplate().powerWatts(),
                        k.profile().nameplate().hashrateThs().orElse(0.0),
                        k.capabilities()))
                .orElseGet(() -> new BirthDevice(device.id(), candidatesKind, DeviceConfig.AUTO, 0, List.of()));
    }

    /** The profile's local thermal rule, once the profile is known. */
    Optional<io.headroom.profiles.ThermalRule> thermal() {
        return known().flatMap(k -> k.profile().thermal());
    }

    /** The verbs the device accepts now: none while an auto device is unidentified. */
    List<io.headroom.protocol.wire.Capability> capabilities() {
        return known().map(Known::capabilities).orElse(List.of());
    }
}
