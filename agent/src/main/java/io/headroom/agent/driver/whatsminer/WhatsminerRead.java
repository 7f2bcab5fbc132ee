package io.headroom.agent.driver.whatsminer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One read of a poll: the name the driver, match rules and golden cases use (a case folder's
 * {@code <key>.json}), and what goes on the wire.
 *
 * @param key e.g. {@code summary}, {@code get_miner_status_summary}
 * @param command v2 {@code command} or v3 {@code cmd}
 * @param param v3 {@code param}, or null
 */
record WhatsminerRead(String key, String command, String param) {

    static final WhatsminerRead V2_SUMMARY = new WhatsminerRead("summary", "summary", null);
    static final WhatsminerRead V2_DEVS = new WhatsminerRead("devs", "devs", null);
    static final WhatsminerRead V2_STATUS = new WhatsminerRead("status", "status", null);
    static final WhatsminerRead V2_ERROR_CODE = new WhatsminerRead("get_error_code", "get_error_code", null);
    static final WhatsminerRead V2_VERSION = new WhatsminerRead("get_version", "get_version", null);
    static final WhatsminerRead V2_MINER_INFO = new WhatsminerRead("get_miner_info", "get_miner_info", null);

    static final WhatsminerRead V3_DEVICE_INFO = new WhatsminerRead("get_device_info", "get.device.info", null);
    static final WhatsminerRead V3_SUMMARY =
            new WhatsminerRead("get_miner_status_summary", "get.miner.status", "summary");
    static final WhatsminerRead V3_EDEVS = new WhatsminerRead("get_miner_status_edevs", "get.miner.status", "edevs");

    /** The reads of one poll, in order; the identity read is the last. */
    static List<WhatsminerRead> poll(WhatsminerApi api) {
        return api == WhatsminerApi.V3
                ? List.of(V3_SUMMARY, V3_EDEVS, V3_DEVICE_INFO)
                : List.of(V2_SUMMARY, V2_DEVS, V2_STATUS, V2_ERROR_CODE, V2_VERSION);
    }

    /** The read identity and match rules come from. */
    static WhatsminerRead identity(WhatsminerApi api) {
        return api == WhatsminerApi.V3 ? V3_DEVICE_INFO : V2_VERSION;
    }

    /** A read of either API by key, or null. */
    static WhatsminerRead byKey(String key) {
        for (WhatsminerApi api : List.of(WhatsminerApi.V2, WhatsminerApi.V3)) {
            for (WhatsminerRead read : poll(api)) {
                if (read.key().equals(key)) {
                    return read;
                }
            }
        }
        return key.equals(V2_MINER_INFO.key()) ? V2_MINER_INFO : null;
    }

    /**
     * Checks that a successful reply carries this read's data, not only a success status: {@code SUMMARY} or
     * {@code DEVS} as a non-empty list (v2 reports), {@code Msg} as an object (v2 {@code get_*}, {@code
     * status}), {@code msg.summary} / {@code msg.edevs} / {@code msg} (v3).
     *
     * @throws WhatsminerException {@code bad-response} naming what is missing
     */
    JsonNode requireData(JsonNode root) throws WhatsminerException {
        JsonNode data;
        String what;
        if (command.equals("summary") || command.equals("devs")) {
            what = command.toUpperCase(java.util.Locale.ROOT);
            data = root.path(what);
            if (data.isArray() && !data.isEmpty() && data.get(0).isObject()) {
                return root;
            }
        } else if (param != null) {
            what = "msg." + param;
            data = root.path("msg").path(param);
            if (data.isContainerNode() && !data.isEmpty()) {
                return root;
            }
        } else {
            what = command.startsWith("get.") ? "msg" : "Msg";
            data = root.path(what);
            if (data.isObject()) {
                return root;
            }
        }
        throw new WhatsminerException(WhatsminerException.BAD_RESPONSE, key + ": reply has no " + what + " data");
    }

    /** The API a read key belongs to. */
    static WhatsminerApi apiOf(WhatsminerRead read) {
        return poll(WhatsminerApi.V3).contains(read) ? WhatsminerApi.V3 : WhatsminerApi.V2;
    }
}
