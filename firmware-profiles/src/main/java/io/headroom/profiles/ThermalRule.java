package io.headroom.profiles;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Key;
import java.util.Set;

/**
 * A profile's local thermal rule: what the agent does on its own when a chip runs hotter than the
 * family should, once the controller's lease has lapsed (while a controller is in charge, it handles
 * thermal curtailment). A last line behind the device's own protection, never instead of it, and only
 * ever a curtailment: the agent never wakes a device on a temperature (docs/control-safety.md).
 *
 * @param maxChipC hottest chip temperature ({@code temperature.chip}, any instance) the family
 *     should run at; at or above it the action is taken
 * @param action what to do: {@code sleep}, which the profile must declare as a capability
 */
public record ThermalRule(
        @Doc("Hottest chip temperature in °C (any temperature.chip reading) before the agent acts on its own.")
        @Key("max-chip-c")
        double maxChipC,

        @Doc("What the agent does when a chip reaches max-chip-c and the lease has lapsed: sleep.") @Default("sleep")
        String action) {

    /** Actions a thermal rule may take: curtailments that need no value. */
    public static final Set<String> ACTIONS = Set.of("sleep");

    public ThermalRule {
        if (!Double.isFinite(maxChipC) || maxChipC < 40 || maxChipC > 130) {
            throw new IllegalArgumentException("max-chip-c: must be 40 … 130 °C, got " + maxChipC);
        }
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException(
                    "action: '" + action + "' is not a thermal action; expected one of " + ACTIONS);
        }
    }
}
