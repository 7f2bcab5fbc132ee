package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.site.SiteResource;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/site}, and its {@code ?devices=count} form: the tree of {@link SiteResource} with each node's
 * device leaves folded into {@code device_count}. That is what the page shows (a count per rack, no device rows),
 * and at 100,000 devices the leaves are nearly all of the tree's JSON (some 200 bytes each, 20 MB in all), which the
 * device stream would otherwise send each second the loads move. Viewer role; the router checks it before.
 */
final class SiteTrees {

    /** The query parameter: {@code list} (the default, every device a leaf) or {@code count}. */
    static final String DEVICES = "devices";

    private SiteTrees() {}

    /** The answer to a GET with these query parameters; others than {@code devices} are ignored, as ever. */
    static FullHttpResponse get(SiteResource site, ObjectMapper mapper, Map<String, List<String>> parameters) {
        List<String> given = parameters.get(DEVICES);
        boolean count = false;
        if (given != null) {
            if (given.size() != 1
                    || !(given.get(0).equals("list") || given.get(0).equals("count"))) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "devices: must be given once, list or count; got '" + clip(String.join("', '", given)) + "'");
            }
            count = given.get(0).equals("count");
        }
        SiteResource.Answer answer = site.get(mapper);
        return json(HttpResponseStatus.valueOf(answer.status()), count ? countDevices(answer.body()) : answer.body());
    }

    /**
     * {@code site} (a 200 body of {@link SiteResource#get}) with the device leaves of the tree and of each zone
     * replaced by {@code device_count} on their parent; changed in place and returned. Another body (the 404's
     * {@code {"error": …}}) has no children and is returned as it is.
     */
    static ObjectNode countDevices(ObjectNode site) {
        fold(site);
        for (JsonNode zone : site.path("zones")) {
            fold(zone);
        }
        return site;
    }

    private static void fold(JsonNode node) {
        if (!(node instanceof ObjectNode object) || !node.path("children").isArray()) {
            return;
        }
        ArrayNode kept = object.arrayNode();
        int devices = 0;
        for (JsonNode child : node.get("children")) {
            if (child.path("kind").asText().equals(SiteNodeKind.DEVICE.wireName())) {
                devices++;
            } else {
                fold(child);
                kept.add(child);
            }
        }
        object.set("children", kept);
        object.put("device_count", devices);
    }
}
