package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.protocol.MetricDictionary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two kinds of path in a redfish profile.
 *
 * <ul>
 *   <li>A <b>resource</b> is relative to the service root {@code /redfish/v1}, with {@code {chassis}}
 *       standing for the device's chassis id: {@code Chassis/{chassis}/EnvironmentMetrics}. The empty
 *       resource is the service root itself.</li>
 *   <li>A <b>field path</b> names a value inside a resource's JSON: names separated by dots, an array
 *       element as {@code [n]}: {@code PowerControl[0].PowerLimit.LimitInWatts}. A name with an
 *       {@code @} is an OData annotation and takes the rest of the path ({@code @odata.type},
 *       {@code Members@odata.count}), since annotation names contain dots.</li>
 * </ul>
 */
final class RedfishPaths {

    /** The service root. */
    static final String ROOT = "/redfish/v1";

    private static final Pattern RESOURCE = Pattern.compile("([A-Za-z0-9_.{}-]+(/[A-Za-z0-9_.{}-]+)*)?");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern NAME = Pattern.compile("([^\\[\\]]+?)((\\[\\d{1,4}])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,4})]");

    private RedfishPaths() {}

    /** Refuses a resource template that is not {@code Segment/Segment/…} or uses another placeholder. */
    static void requireResource(String resource, String key) {
        if (!RESOURCE.matcher(resource).matches() || resource.contains("..")) {
            throw new IllegalArgumentException(key + ": '" + resource
                    + "' is not a resource path below /redfish/v1 (e.g. Chassis/{chassis}/Power)");
        }
        String rest = resource.replace("{chassis}", "");
        if (rest.contains("{") || rest.contains("}")) {
            throw new IllegalArgumentException(key + ": '" + resource + "': the only placeholder is {chassis}");
        }
    }

    /** Refuses an id that cannot stand in a path segment. */
    static void requireSegment(String id, String key) {
        if (!SEGMENT.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(key + ": '" + id + "' must be 1-64 of [A-Za-z0-9_.-]");
        }
    }

    /** The absolute path of a resource: {@code /redfish/v1/Chassis/1U/Power}. */
    static String absolute(String resource, String chassis) {
        String filled = resource.replace("{chassis}", chassis);
        return filled.isEmpty() ? ROOT : ROOT + "/" + filled;
    }

    /** Refuses a field path that {@link #at} could not follow. */
    static void requireField(String path, String key) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException(key + ": must not be empty");
        }
        for (String name : names(path)) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        key + ": '" + path + "' is not a field path (Name.Name[0].Name), at '" + name + "'");
            }
        }
    }

    /** The value at a field path, or null when any step is missing. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String name : names(path)) {
            Matcher m = NAME.matcher(name);
            if (node == null || !m.matches()) {
                return null;
            }
            node = node.get(m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (node != null && index.find()) {
                node = node.isArray() ? node.get(Integer.parseInt(index.group(1))) : null;
            }
        }
        return node;
    }

    /** The path's names; an annotation (a name with {@code @}) takes the rest of the path. */
    private static List<String> names(String path) {
        List<String> names = new ArrayList<>();
        String[] parts = path.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].contains("@")) {
                names.add(String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length)));
                break;
            }
            names.add(parts[i]);
        }
        return names;
    }

    /**
     * An instance name from a device's text ({@code Bay1}, {@code CPU1Temp}, {@code 0}): lower case,
     * other characters than {@code [a-z0-9_-]} as {@code -}, at most 32 characters with the prefix.
     */
    static String instance(String prefix, String text) {
        String cleaned = (prefix + text).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        String cut = cleaned.length() > 32 ? cleaned.substring(0, 32) : cleaned;
        if (!MetricDictionary.isValidInstance(cut)) {
            throw new IllegalStateException("instance '" + cut + "' should be valid");
        }
        return cut;
    }
}
