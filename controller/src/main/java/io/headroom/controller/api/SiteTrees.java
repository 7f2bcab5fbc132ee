package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.site.SiteResource;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/site}, and its {@code ?devices=count} form: the tree of {@link SiteResource} with each node's
 * devices counted as {@code device_count} instead of listed (never built: {@link SiteResource#get(ObjectMapper,
 * boolean)}). That is what the page shows (a count per rack, no device rows),
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
        SiteResource.Answer answer = site.get(mapper, !count);
        return json(HttpResponseStatus.valueOf(answer.status()), answer.body());
    }
}
