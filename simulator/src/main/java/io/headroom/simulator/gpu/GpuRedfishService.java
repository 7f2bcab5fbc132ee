package io.headroom.simulator.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A simulated GPU server's BMC as a {@link RedfishService}: its {@link GpuRedfishTree} for reads, and
 * the power limit PATCHes: {@code Controls/PowerLimit} ({@code SetPoint}) or the legacy {@code Power}
 * ({@code PowerControl[0].PowerLimit.LimitInWatts}) set the model's cap; a value outside the allowable
 * range is 400 {@code PropertyValueOutOfRange}, and the cap stays.
 */
final class GpuRedfishService implements RedfishService {

    private final GpuServerModel model;
    private final GpuRedfishTree tree;
    private final String base;

    GpuRedfishService(GpuServerModel model, String chassis) {
        this.model = model;
        this.tree = new GpuRedfishTree(model, chassis);
        this.base = GpuRedfishTree.ROOT + "/Chassis/" + chassis;
    }

    @Override
    public void advanceTo(Instant now) {
        model.advanceTo(now);
    }

    @Override
    public @Nullable ObjectNode get(String path) {
        return tree.get(path);
    }

    @Override
    public Write write(String method, String path, JsonNode request) {
        if (!method.equals("PATCH")) {
            return Write.notAllowed(method, path);
        }
        JsonNode value;
        String property;
        if (path.equals(base + "/Controls/PowerLimit")) {
            value = request.get("SetPoint");
            property = "SetPoint";
        } else if (path.equals(base + "/Power")) {
            value = request.path("PowerControl").path(0).path("PowerLimit").get("LimitInWatts");
            property = "PowerControl/0/PowerLimit/LimitInWatts";
        } else {
            return Write.notAllowed(method, path);
        }
        if (value == null || !value.isNumber()) {
            return Write.error(
                    400, "Base.1.8.PropertyValueTypeError", "the property " + property + " must be a number");
        }
        double watts = value.asDouble();
        GpuSpec spec = model.spec();
        if (watts < spec.allowableMinWatts() || watts > spec.allowableMaxWatts()) {
            return Write.error(
                    400,
                    "Base.1.8.PropertyValueOutOfRange",
                    "The value '" + value + "' for the property " + property + " is not in the supported range of "
                            + (long) spec.allowableMinWatts() + " to " + (long) spec.allowableMaxWatts() + ".");
        }
        model.setPowerCapWatts(watts);
        ObjectNode after = tree.get(path);
        return after == null ? Write.noContent() : Write.ok(after);
    }
}
