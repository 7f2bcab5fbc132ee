package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One poll of a redfish profile's points over any {@link RedfishResources}: each resource is read
 * once, its fields and table rows mapped to readings. A resource that fails is a per-resource error
 * and the others' readings are kept (DEGRADED). When the BMC cannot be reached or refuses the account
 * and nothing has answered yet, nothing more is tried (OFFLINE, one timeout spent, not one per
 * resource). The same code runs live and in golden cases.
 */
final class RedfishPoll {

    private final RedfishResources resources;
    private final RedfishPoints points;
    private final String chassis;
    private final Map<String, JsonNode> read = new LinkedHashMap<>();
    private final List<RedfishFault> failures = new ArrayList<>();
    /** What a {@code degraded-when} found: a leak, a failed pump. Named before the failures. */
    private final List<RedfishFault> alarms = new ArrayList<>();

    private final List<Reading> readings = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private boolean stopped;

    private RedfishPoll(RedfishResources resources, RedfishPoints points, String chassis) {
        this.resources = resources;
        this.points = points;
        this.chassis = chassis;
    }

    /**
     * Polls every field and table of {@code points}.
     *
     * @param identify also read the service root for the device's identity
     */
    static PollResult run(
            RedfishResources resources, RedfishPoints points, String chassis, boolean identify, Instant at)
            throws InterruptedException {
        return new RedfishPoll(resources, points, chassis).poll(identify, at);
    }

    private PollResult poll(boolean identify, Instant at) throws InterruptedException {
        for (String resource : points.resources()) {
            fetch(RedfishPaths.absolute(resource, chassis));
            if (stopped) {
                break;
            }
        }
        if (!stopped) {
            for (RedfishField field : points.fields()) {
                JsonNode root = read.get(RedfishPaths.absolute(field.resource(), chassis));
                if (root != null) {
                    value(field.metric(), field.instance(), root, field.path(), field.scale(), field.resource());
                }
            }
            for (RedfishTable table : points.tables()) {
                rows(table);
                if (stopped) {
                    break;
                }
            }
        }
        DeviceIdentity identity = null;
        if (identify && !stopped) {
            JsonNode root = fetch(RedfishPaths.ROOT);
            identity = root == null ? null : identity(root);
        }
        if (read.isEmpty()) {
            RedfishFault first =
                    failures.isEmpty() ? new RedfishFault(RedfishFault.BAD_RESPONSE, "nothing read") : failures.get(0);
            return PollResult.offline(at, first.reason(), describe());
        }
        if (failures.isEmpty() && alarms.isEmpty()) {
            return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", identity, readings);
        }
        String reason =
                alarms.isEmpty() ? failures.get(0).reason() : alarms.get(0).reason();
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_DEGRADED, reason, describe(), identity, readings);
    }

    /** The service root's {@code Vendor} and {@code Product}, when it names a product. */
    static DeviceIdentity identity(JsonNode root) {
        JsonNode product = root.get("Product");
        if (product == null || !product.isTextual() || product.asText().isBlank()) {
            return null;
        }
        JsonNode vendor = root.get("Vendor");
        String model = (vendor != null && vendor.isTextual() && !vendor.asText().isBlank()
                        ? vendor.asText().strip() + " "
                        : "")
                + product.asText().strip();
        JsonNode version = root.get("RedfishVersion");
        String firmware = version != null && version.isTextual() ? "Redfish " + version.asText() : "Redfish";
        return new DeviceIdentity(model, firmware);
    }

    private JsonNode fetch(String path) throws InterruptedException {
        if (read.containsKey(path)) {
            return read.get(path);
        }
        try {
            JsonNode root = resources.get(path);
            read.put(path, root);
            return root;
        } catch (RedfishFault e) {
            failures.add(e);
            if (e.stopsPoll() && (read.isEmpty() || e.reason().equals(RedfishFault.CLOSED))) {
                stopped = true;
            }
            return null;
        }
    }

    private void rows(RedfishTable table) throws InterruptedException {
        JsonNode root = read.get(RedfishPaths.absolute(table.resource(), chassis));
        if (root == null) {
            return;
        }
        String where = table.resource() + (table.rows().isEmpty() ? ".Members" : "." + table.rows());
        JsonNode array = RedfishPaths.at(root, table.members() ? "Members" : table.rows());
        if (array == null || !array.isArray()) {
            failures.add(new RedfishFault(RedfishFault.BAD_RESPONSE, where + " is not an array"));
            return;
        }
        int count = 0;
        for (JsonNode element : array) {
            if (count++ >= table.maxRows()) {
                break;
            }
            JsonNode row = element;
            if (table.members()) {
                JsonNode id = element.get("@odata.id");
                String path = id != null && id.isTextual() ? RedfishClient.pathOf(id.asText()) : null;
                if (path == null) {
                    failures.add(new RedfishFault(
                            RedfishFault.BAD_RESPONSE, where + ": a member without a usable @odata.id: " + id));
                    continue;
                }
                row = fetch(path);
                if (stopped) {
                    return;
                }
                if (row == null) {
                    continue;
                }
                if (table.where().isPresent() && !table.where().get().holds(row)) {
                    continue;
                }
                if (!table.memberSuffix().isEmpty()) {
                    row = fetch(path + "/" + table.memberSuffix());
                    if (stopped) {
                        return;
                    }
                    if (row == null) {
                        continue;
                    }
                }
                addRow(table, row, table.memberSuffix().isEmpty() ? null : read.get(path));
            } else {
                if (table.where().isPresent() && !table.where().get().holds(row)) {
                    continue;
                }
                addRow(table, row, null);
            }
        }
    }

    /** The row's readings; its name comes from the member itself when the columns are in a suffix. */
    private void addRow(RedfishTable table, JsonNode row, JsonNode member) {
        JsonNode named = member != null ? member : row;
        JsonNode name = RedfishPaths.at(named, table.instanceFrom());
        if (name == null
                || !name.isValueNode()
                || name.isNull()
                || name.asText().isBlank()) {
            failures.add(new RedfishFault(
                    RedfishFault.BAD_RESPONSE, table.resource() + ": a row without " + table.instanceFrom()));
            return;
        }
        String instance = RedfishPaths.instance(table.instancePrefix(), name.asText());
        for (RedfishColumn column : table.columns()) {
            if (column.isState()) {
                state(column, instance, row, table.resource());
            } else {
                value(column.metric(), instance, row, column.path(), column.scale(), table.resource());
            }
        }
        for (RedfishAlarm alarm : table.degradedWhen()) {
            JsonNode shown = RedfishPaths.at(row, alarm.path());
            if (shown != null && alarm.condition().holds(row)) {
                alarms.add(new RedfishFault(
                        alarm.reason(),
                        table.resource() + " " + name.asText() + ": " + alarm.path() + " is "
                                + abbreviate(shown.asText())));
            }
        }
    }

    /** A state column: the device's text mapped to the metric's state; unlisted text gives no reading. */
    private void state(RedfishColumn column, String instance, JsonNode row, String resource) {
        JsonNode value = RedfishPaths.at(row, column.path());
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isTextual()) {
            failures.add(new RedfishFault(
                    RedfishFault.BAD_VALUE,
                    resource + " " + column.path() + ": not text: " + abbreviate(value.toString())));
            return;
        }
        java.util.OptionalDouble code = column.state(value.asText());
        if (code.isEmpty()) {
            return; // a state the profile does not list (PoweringOn): unknown, never guessed
        }
        if (seen.add(column.metric() + "[" + instance + "]")) {
            readings.add(Reading.of(column.metric(), instance, code.getAsDouble()));
        }
    }

    private void value(String metric, String instance, JsonNode root, String path, double scale, String resource) {
        JsonNode value = RedfishPaths.at(root, path);
        if (value == null || value.isNull()) {
            return; // not reported (a disabled or absent sensor): no reading, never a zero
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            failures.add(new RedfishFault(
                    RedfishFault.BAD_VALUE, resource + " " + path + ": not a number: " + abbreviate(value.toString())));
            return;
        }
        String key = metric + "[" + instance + "]";
        if (!seen.add(key)) {
            return; // the first mapping of a metric and instance wins
        }
        readings.add(Reading.of(metric, instance, value.asDouble() * scale));
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private String describe() {
        return java.util.stream.Stream.concat(alarms.stream(), failures.stream())
                .map(Throwable::getMessage)
                .distinct()
                .limit(5)
                .collect(Collectors.joining("; "));
    }
}
