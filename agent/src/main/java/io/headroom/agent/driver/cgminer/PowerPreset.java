package io.headroom.agent.driver.cgminer;

import io.headroom.config.Doc;
import java.util.Locale;

/**
 * One power preset: an Avalon work level or a LuxOS profile, and the input power it holds.
 *
 * @param name what the device calls it ({@code 2}, {@code 290MHz})
 * @param watts its input power
 */
public record PowerPreset(
        @Doc("What the device calls the preset (a work level, a profile name).")
        String name,

        @Doc("Input power at this preset, W.") double watts) {

    public PowerPreset {
        if (name.isBlank() || name.contains(",")) {
            throw new IllegalArgumentException("name: must be non-blank and contain no comma, got '" + name + "'");
        }
        if (!Double.isFinite(watts) || watts <= 0) {
            throw new IllegalArgumentException("watts: must be a positive number, got " + watts);
        }
    }

    @Override
    public String toString() {
        return name + " = "
                + (watts == Math.rint(watts) ? Long.toString((long) watts) : String.format(Locale.ROOT, "%.1f", watts))
                + " W";
    }
}
