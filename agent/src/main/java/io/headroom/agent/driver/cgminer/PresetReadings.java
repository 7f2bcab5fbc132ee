package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Reads the presets a device lists and the one it runs (LuxOS {@code profiles} and {@code config}). */
final class PresetReadings {

    private PresetReadings() {}

    /**
     * The presets in a reply to {@link PowerPresets#command()}; elements without a usable name or a finite
     * positive watts figure are skipped (they could never be chosen).
     */
    static List<PowerPreset> listed(PowerPresets spec, JsonNode reply) {
        JsonNode list = reply == null ? null : CgminerReadings.at(reply, spec.listPath());
        List<PowerPreset> presets = new ArrayList<>();
        if (list == null || !list.isArray()) {
            return presets;
        }
        for (JsonNode element : list) {
            JsonNode name = element.get(spec.nameKey());
            OptionalDouble watts = CgminerReadings.number(element.get(spec.wattsKey()));
            if (name == null || !name.isValueNode() || name.isNull() || watts.isEmpty()) {
                continue;
            }
            String text = name.asText().strip();
            if (text.isEmpty() || text.contains(",") || watts.getAsDouble() <= 0) {
                continue;
            }
            presets.add(new PowerPreset(text, watts.getAsDouble()));
        }
        return presets;
    }

    /** The name of the active preset in a reply to {@link PowerPresets#activeCommand()}. */
    static Optional<String> active(PowerPresets spec, JsonNode reply) {
        JsonNode node = reply == null ? null : CgminerReadings.at(reply, spec.activePath());
        if (node == null
                || !node.isValueNode()
                || node.isNull()
                || node.asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(node.asText().strip());
    }

    /** The watts of the active preset, when both replies are there and it is listed. */
    static OptionalDouble activeWatts(PowerPresets spec, JsonNode listReply, JsonNode activeReply) {
        Optional<String> active = active(spec, activeReply);
        if (active.isEmpty()) {
            return OptionalDouble.empty();
        }
        for (PowerPreset preset : listed(spec, listReply)) {
            if (preset.name().equals(active.get())) {
                return OptionalDouble.of(preset.watts());
            }
        }
        return OptionalDouble.empty();
    }
}
