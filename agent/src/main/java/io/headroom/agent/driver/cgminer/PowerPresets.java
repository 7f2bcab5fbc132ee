package io.headroom.agent.driver.cgminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How {@code set-power-target} is done on a firmware that offers presets, not watts ({@code
 * points.power-presets}): the presets are either declared in the profile (Avalon work levels) or read from
 * the device ({@code command} → the list at {@code list-path}, each element's {@code name-key} and {@code
 * watts-key}: LuxOS {@code profiles}). The active preset is named at {@code active-path} of the reply to
 * {@code active-command} (LuxOS {@code CONFIG[0].Profile}); with declared presets the read-back is the
 * capability's read-back metric (Avalon {@code MPO}).
 *
 * <p>Selection (docs/decisions.md D30): the highest preset whose watts are at most the wanted value; a value
 * below the lowest preset is refused, naming the presets. Never relative.
 *
 * @param declared presets the profile declares; empty when read from the device
 * @param command read command listing the device's presets
 * @param listPath JSON path of the list in its reply
 * @param nameKey key of a preset's name in an element
 * @param wattsKey key of a preset's watts in an element
 * @param activeCommand read command naming the active preset
 * @param activePath JSON path of the active preset's name
 * @param interlock a mode that must be turned off before a preset is set
 */
public record PowerPresets(
        @Doc("Presets the profile declares (Avalon work levels); empty when read from the device.")
        List<PowerPreset> declared,

        @Doc("Read command listing the device's presets (LuxOS profiles).") @Default("")
        String command,

        @Doc("JSON path of the preset list in that reply, e.g. PROFILES.") @Default("")
        String listPath,

        @Doc("Key of a preset's name in each element, e.g. Profile Name.") @Default("")
        String nameKey,

        @Doc("Key of a preset's watts in each element, e.g. Watts.") @Default("")
        String wattsKey,

        @Doc("Read command whose reply names the active preset, e.g. config.") @Default("")
        String activeCommand,

        @Doc("JSON path of the active preset's name, e.g. CONFIG[0].Profile.") @Default("")
        String activePath,

        @Doc("A mode that must be off before a preset is set (LuxOS ATM).")
        Optional<PresetInterlock> interlock) {

    public PowerPresets {
        declared = List.copyOf(declared);
        boolean fromDevice = !command.isEmpty();
        if (fromDevice == !declared.isEmpty()) {
            throw new IllegalArgumentException(
                    "declared: give either declared presets or a command that lists them, not both or neither");
        }
        if (fromDevice) {
            if (listPath.isEmpty() || nameKey.isEmpty() || wattsKey.isEmpty()) {
                throw new IllegalArgumentException("command: a preset list needs list-path, name-key and watts-key");
            }
            JsonPath.requireValid(listPath, "list-path");
            if (activeCommand.isEmpty() || activePath.isEmpty()) {
                throw new IllegalArgumentException(
                        "command: presets read from the device need active-command and active-path for the read-back");
            }
            JsonPath.requireValid(activePath, "active-path");
        } else {
            if (declared.stream().map(PowerPreset::name).distinct().count() != declared.size()) {
                throw new IllegalArgumentException("declared: preset names must be unique");
            }
        }
    }

    /** True when the presets come from the device, not the profile. */
    public boolean fromDevice() {
        return !command.isEmpty();
    }

    /**
     * The highest preset whose watts are at most {@code wanted}, or empty when every preset is above it.
     * Ties go to the first listed.
     */
    public static Optional<PowerPreset> select(List<PowerPreset> presets, double wanted) {
        return presets.stream().filter(p -> p.watts() <= wanted).max(Comparator.comparingDouble(PowerPreset::watts));
    }
}
