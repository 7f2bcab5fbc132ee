package io.headroom.agent.driver.whatsminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.Mode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reply shapes the fixtures lack: hostile indexes and values, v2.0.4's error list sent as one object. */
class WhatsminerReadingsTest {

    private static JsonNode json(String text) throws Exception {
        return WhatsminerJson.parseRepaired("test", text);
    }

    @Test
    void v2_hostileValues_giveNoReadingInsteadOfAWrongOne() throws Exception {
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        replies.put(
                "summary",
                json("{\"STATUS\":[{\"STATUS\":\"S\"}],\"SUMMARY\":[{\"Power\":\"nan\","
                        + "\"Power Limit\":\"3300\",\"MHS 1m\":inf,\"Env Temp\":\"warm\",\"Fan Speed In\":1e400}]}"));
        replies.put(
                "devs",
                json("{\"STATUS\":[{\"STATUS\":\"S\"}],\"DEVS\":[{\"Slot\":1000,\"MHS 1m\":1},"
                        + "{\"Slot\":-1,\"MHS 1m\":1},{\"Slot\":\"x\"},{\"Slot\":2,\"MHS 1m\":\"40000000\"}]}"));

        WhatsminerReadings.Interpretation seen = WhatsminerReadings.v2(replies);

        assertThat(seen.readings())
                .extracting(r -> r.metric() + "[" + r.instance() + "]")
                .containsExactly("power.target[]", "hashrate[board2]");
        assertThat(seen.readings().get(1).value()).isCloseTo(40.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void v2_errorCodesAsOneObject_areStillRead() throws Exception {
        Map<String, JsonNode> replies = Map.of(
                "get_error_code",
                json("{\"STATUS\":\"S\",\"Code\":131,\"Msg\":{\"error_code\":{\"530\":\"2024-01-01 00:00:00\"}}}"));

        assertThat(WhatsminerReadings.v2(replies).errorCodes()).containsExactly("530 (2024-01-01 00:00:00)");
    }

    @Test
    void v2_mode_mineroffWinsOverThePowerMode() throws Exception {
        JsonNode status = json("{\"STATUS\":\"S\",\"Msg\":{\"mineroff\":\"true\",\"power_mode\":\"high\"}}");
        JsonNode high = json("{\"STATUS\":\"S\",\"Msg\":{\"mineroff\":\"false\",\"power_mode\":\"High\"}}");
        JsonNode unknown = json("{\"STATUS\":\"S\",\"Msg\":{}}");

        assertThat(WhatsminerReadings.v2Mode(status, null)).contains(Mode.SLEEP);
        assertThat(WhatsminerReadings.v2Mode(high, null)).contains(Mode.HIGH_POWER);
        assertThat(WhatsminerReadings.v2Mode(unknown, null)).isEmpty();
    }

    @Test
    void v3_boardTemperaturesBeyondTheLimit_andOddWorkingValues_areIgnored() throws Exception {
        StringBuilder temps = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            temps.append(i == 0 ? "" : ",").append("50");
        }
        Map<String, JsonNode> replies = Map.of(
                "get_miner_status_summary",
                json("{\"code\":0,\"msg\":{\"summary\":{\"board-temperature\":[" + temps + "]}}}"),
                "get_device_info",
                json("{\"code\":0,\"msg\":{\"miner\":{\"working\":\"maybe\"}}}"));

        WhatsminerReadings.Interpretation seen = WhatsminerReadings.v3(replies);

        assertThat(seen.readings().stream().filter(r -> r.metric().equals("temperature.board")))
                .hasSize(101); // board0..board99 and the device's hottest
        assertThat(seen.readings()).extracting(Reading::metric).doesNotContain("mode");
        assertThat(seen.identity().model()).isEqualTo("Whatsminer");
    }
}
