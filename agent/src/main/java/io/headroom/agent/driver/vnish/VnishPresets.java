package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The miner's autotune presets ({@code GET /api/v1/autotune/presets}: {@code [{"name":"3160","pretty":"3160 watt ~
 * 212 TH","status":"tuned"|"untuned",…}]}) as wattages. A preset whose name is not a wattage ({@code "disabled"}:
 * manual clocks) is no power target.
 *
 * @param all every preset named by a wattage, ascending
 * @param allowUntuned whether an untuned preset counts as selectable
 */
record VnishPresets(List<Preset> all, boolean allowUntuned) {

    /**
     * One preset.
     *
     * @param name its id, the wattage as text
     * @param watts the wattage
     * @param tuned whether autotune has tuned it
     */
    record Preset(String name, long watts, boolean tuned) {}

    VnishPresets {
        all = List.copyOf(all);
    }

    /** Parses the reply; a reply that is not an array of presets is {@link VnishException#BAD_RESPONSE}. */
    static VnishPresets parse(JsonNode reply, boolean allowUntuned) throws VnishException {
        if (!reply.isArray()) {
            throw new VnishException(
                    VnishException.BAD_RESPONSE,
                    "autotune/presets: the reply is " + VnishReadings.type(reply) + ", not an array of presets");
        }
        List<Preset> presets = new ArrayList<>();
        for (JsonNode item : reply) {
            JsonNode name = item.get("name");
            JsonNode status = item.get("status");
            if (name == null || !name.isTextual() || status == null || !status.isTextual()) {
                throw new VnishException(
                        VnishException.BAD_RESPONSE,
                        "autotune/presets: a preset without a textual name and status: "
                                + VnishReadings.quote(item.toString()));
            }
            if (VnishReadings.WATTS.matcher(name.asText()).matches()) {
                presets.add(new Preset(
                        name.asText(),
                        Long.parseLong(name.asText()),
                        status.asText().equals("tuned")));
            }
        }
        presets.sort(Comparator.comparingLong(Preset::watts));
        return new VnishPresets(presets, allowUntuned);
    }

    /** The presets a power target may select. */
    List<Preset> selectable() {
        return all.stream().filter(p -> allowUntuned || p.tuned()).toList();
    }

    /** The selectable preset of exactly these watts. */
    Optional<Preset> exact(double watts) {
        return selectable().stream().filter(p -> p.watts() == watts).findFirst();
    }

    /** Any preset of exactly these watts, selectable or not. */
    Optional<Preset> listed(double watts) {
        return all.stream().filter(p -> p.watts() == watts).findFirst();
    }

    /** The nearest selectable preset below and above {@code watts}, as "2800 W (below) and 3160 W (above)". */
    String nearest(double watts) {
        List<Preset> selectable = selectable();
        Optional<Preset> below =
                selectable.stream().filter(p -> p.watts() < watts).reduce((a, b) -> b);
        Optional<Preset> above =
                selectable.stream().filter(p -> p.watts() > watts).findFirst();
        List<String> parts = new ArrayList<>();
        below.ifPresent(p -> parts.add(p.watts() + " W (below)"));
        above.ifPresent(p -> parts.add(p.watts() + " W (above)"));
        return String.join(" and ", parts);
    }

    /** The selectable wattages, "2550, 3160, 4690 W". */
    String listing() {
        return selectable().stream().map(p -> Long.toString(p.watts())).collect(Collectors.joining(", ")) + " W";
    }
}
