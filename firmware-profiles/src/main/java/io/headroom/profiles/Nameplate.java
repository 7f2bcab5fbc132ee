package io.headroom.profiles;

import io.headroom.config.Doc;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the maker rates the device for. The controller counts a device at its nameplate power while no
 * metered or reported power is available (a stale device at the higher of its last reading and this).
 *
 * @param powerWatts rated input power
 * @param hashrateThs rated hashrate (miners)
 */
public record Nameplate(
        @Doc("Rated input power in watts; the controller's fallback while no power reading is available.")
        double powerWatts,

        @Doc("Rated hashrate in TH/s (miners).") Optional<Double> hashrateThs) {

    public Nameplate {
        if (!(powerWatts > 0) || !Double.isFinite(powerWatts)) {
            throw new IllegalArgumentException("power-watts: must be a positive number");
        }
        if (hashrateThs.isPresent() && !(hashrateThs.get() > 0 && Double.isFinite(hashrateThs.get()))) {
            throw new IllegalArgumentException("hashrate-ths: must be a positive number");
        }
    }

    /** Joules per terahash at nameplate, when the hashrate is known. */
    public OptionalDouble joulesPerTerahash() {
        return hashrateThs.isPresent() ? OptionalDouble.of(powerWatts / hashrateThs.get()) : OptionalDouble.empty();
    }
}
