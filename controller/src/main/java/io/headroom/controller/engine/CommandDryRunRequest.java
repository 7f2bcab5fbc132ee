package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/commands/dry-run}: {@code {"verb", "devices", "value", "instance"}},
 * checked whole so that every problem is named in one answer, not the first of them.
 *
 * @param verb one of {@link #VERBS}
 * @param verbName its spelling in the body
 * @param devices the selection's ids, each once, in the order given
 * @param value the power target in W for set-power-target, else null
 * @param instance the outlet of an outlet verb (every selected device is asked for that outlet), else empty
 */
public record CommandDryRunRequest(
        Verb verb,
        String verbName,
        List<String> devices,
        @Nullable Double value,
        String instance) {

    /** The device table's page cap: a selection never holds more. */
    public static final int MAX_DEVICES = 5_000;

    /** Longer than any id an agent may report (the protocol's device ids are short); longer is garbage. */
    static final int MAX_ID_LENGTH = 256;

    /** The protocol's longest instance ({@code MetricDictionary.isValidInstance}); longer is garbage. */
    static final int MAX_INSTANCE_LENGTH = 32;

    static final List<String> FIELDS = List.of("verb", "devices", "value", "instance");
    /** The verbs the web page's actions offer: what an operator does by hand to a selection or one device. */
    static final List<String> VERBS = List.of(
            "sleep", "wake", "set-power-target", "locate-on", "locate-off", "outlet-on", "outlet-off", "outlet-cycle");

    public CommandDryRunRequest {
        devices = List.copyOf(devices);
        instance = instance == null ? "" : instance;
    }

    /** True for the outlet verbs: the command switches one outlet of a PDU, and what it feeds changes. */
    public boolean outlet() {
        return verb == Verb.VERB_OUTLET_ON || verb == Verb.VERB_OUTLET_OFF || verb == Verb.VERB_OUTLET_CYCLE;
    }

    /** The parsed body, or every problem it has (then {@code request} is null). */
    public record Parsed(@Nullable CommandDryRunRequest request, List<String> problems) {}

    public static Parsed parse(@Nullable JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            problems.add("body: must be a JSON object like {\"verb\": \"sleep\", \"devices\": [\"miner-1\"]}");
            return new Parsed(null, problems);
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add("unknown field '" + abbreviate(name) + "'; known fields: " + String.join(", ", FIELDS));
            }
        });
        JsonNode verbNode = body.get("verb");
        Verb verb = null;
        String verbName = "";
        if (verbNode == null || !verbNode.isTextual() || !VERBS.contains(verbNode.asText())) {
            problems.add("verb: required, one of " + String.join(", ", VERBS)
                    + (verbNode == null ? "" : "; got " + abbreviate(verbNode.toString())));
        } else {
            verbName = verbNode.asText();
            verb = Verbs.parse(verbName).orElseThrow();
        }
        List<String> devices = devices(body.get("devices"), problems);
        Double value = null;
        JsonNode valueNode = body.get("value");
        if (verb == Verb.VERB_SET_POWER_TARGET) {
            if (valueNode == null || !valueNode.isNumber() || !Double.isFinite(valueNode.doubleValue())) {
                problems.add("value: required for set-power-target, the power target in W (a finite number)");
            } else if (!(valueNode.doubleValue() > 0)) {
                problems.add("value: the power target must be above 0 W, got " + valueNode.asText());
            } else {
                value = valueNode.doubleValue();
            }
        } else if (verb != null && valueNode != null && !valueNode.isNull()) {
            problems.add("value: " + verbName + " takes no value");
        }
        String instance = instance(verb, verbName, body.get("instance"), problems);
        if (!problems.isEmpty() || verb == null) {
            return new Parsed(null, problems);
        }
        return new Parsed(new CommandDryRunRequest(verb, verbName, devices, value, instance), problems);
    }

    /** The outlet: required for an outlet verb, refused for the others (they apply to the device itself). */
    private static String instance(
            @Nullable Verb verb, String verbName, @Nullable JsonNode node, List<String> problems) {
        if (verb == null) {
            return "";
        }
        if (!Verbs.needsInstance(verb)) {
            if (node != null && !node.isNull()) {
                problems.add("instance: " + verbName + " applies to the device itself and takes no instance");
            }
            return "";
        }
        if (node == null
                || !node.isTextual()
                || node.asText().isEmpty()
                || node.asText().length() > MAX_INSTANCE_LENGTH) {
            problems.add("instance: required for " + verbName + ", the outlet (a string of 1 to " + MAX_INSTANCE_LENGTH
                    + " characters)" + (node == null ? "" : "; got " + abbreviate(node.toString())));
            return "";
        }
        return node.asText();
    }

    private static List<String> devices(@Nullable JsonNode node, List<String> problems) {
        List<String> devices = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add("devices: required, an array of 1 to " + MAX_DEVICES + " device ids");
            return devices;
        }
        if (node.size() > MAX_DEVICES) {
            problems.add("devices: at most " + MAX_DEVICES + " ids (the device table's page), got " + node.size());
            return devices;
        }
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        int bad = 0;
        String firstBad = null;
        for (JsonNode id : node) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_ID_LENGTH) {
                bad++;
                if (firstBad == null) {
                    firstBad = abbreviate(id.toString());
                }
            } else if (!seen.add(id.asText())) {
                duplicates.add(id.asText());
            } else {
                devices.add(id.asText());
            }
        }
        if (bad > 0) {
            problems.add("devices: " + bad + " entries are not device ids (a string of 1 to " + MAX_ID_LENGTH
                    + " characters), the first " + firstBad);
        }
        if (!duplicates.isEmpty()) {
            problems.add("devices: " + duplicates.size() + " ids are given twice, the first '"
                    + abbreviate(duplicates.get(0)) + "'");
        }
        return devices;
    }

    /** Names what was sent without echoing a megabyte of it. */
    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
