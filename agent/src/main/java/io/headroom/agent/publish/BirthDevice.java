package io.headroom.agent.publish;

import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.DeviceKind;
import java.util.List;
import java.util.Objects;

/**
 * What a Birth says about a configured device before any poll: from its config and profile.
 *
 * @param id device id
 * @param kind from the profile
 * @param profile profile id
 * @param nameplatePowerWatts from the profile, 0 when unknown
 * @param nameplateHashrateThs from the profile (miners), 0 when unknown
 * @param capabilities every verb the device accepts, from the profile; the controller refuses any
 *     other command before sending it
 */
public record BirthDevice(
        String id,
        DeviceKind kind,
        String profile,
        double nameplatePowerWatts,
        double nameplateHashrateThs,
        List<Capability> capabilities) {
    public BirthDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(profile, "profile");
        capabilities = List.copyOf(capabilities);
    }

    /** A device without a rated hashrate (anything but a miner, or a miner whose profile has none). */
    public BirthDevice(
            String id, DeviceKind kind, String profile, double nameplatePowerWatts, List<Capability> capabilities) {
        this(id, kind, profile, nameplatePowerWatts, 0, capabilities);
    }
}
