package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.headroom.agent.driver.cgminer.CgminerJson;
import io.headroom.agent.driver.cgminer.JsonPath;

/**
 * Parsing shared by both APIs. API v2 replies go through the cgminer driver's repair
 * ({@link CgminerJson}: trailing NUL, {@code ,}}, Whatsminer's {@code ""temp0} …) before a strict
 * parse; API v3 frames are parsed strictly.
 */
final class WhatsminerJson {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private WhatsminerJson() {}

    /** Repairs and parses a v2 reply; {@code bad-response} when it is no JSON object even then. */
    static JsonNode parseRepaired(String what, String raw) throws WhatsminerException {
        return parseStrict(what, CgminerJson.repair(raw));
    }

    /** Parses JSON text; {@code bad-response} when it is not a JSON object. */
    static JsonNode parseStrict(String what, String text) throws WhatsminerException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WhatsminerException(
                    WhatsminerException.BAD_RESPONSE, what + ": reply is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WhatsminerException(WhatsminerException.BAD_RESPONSE, what + ": reply is not a JSON object");
        }
        return root;
    }

    /** The node at a profile path ({@code Msg.api_ver}, {@code msg.system.api}), or null. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (JsonPath.Step step : JsonPath.parse(path)) {
            if (node == null) {
                return null;
            }
            node = step.key() != null ? node.get(step.key()) : node.get(step.index());
        }
        return node;
    }
}
