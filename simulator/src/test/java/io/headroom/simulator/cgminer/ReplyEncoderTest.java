package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode sample() throws Exception {
        return MAPPER.readTree("{\"STATUS\":[{\"STATUS\":\"S\",\"Msg\":\"ok\"}],"
                + "\"STATS\":[{\"Type\":\"x\"},{\"GHS 5s\":1.5,\"e\":{}}],\"list\":[1,2],\"id\":1}");
    }

    @Test
    void clean_isPlainJson() throws Exception {
        byte[] bytes = ReplyEncoder.encode(sample(), false);
        assertThat(MAPPER.readTree(bytes)).isEqualTo(sample());
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '}');
    }

    @Test
    void quirks_carryTheFirmwareDefectsAndRepairToTheSameTree() throws Exception {
        String text = new String(ReplyEncoder.encode(sample(), true), StandardCharsets.UTF_8);

        assertThat(text).endsWith("\0");
        assertThat(text).contains("}{\"GHS 5s\"");
        assertThat(text).contains(",}");
        assertThat(text).contains("[1,2]");
        // The repairs a tolerant parser applies (pyasic _load_api_data) give back the original reply.
        String repaired = text.replace("\0", "").replace(",}", "}").replace("}{", "},{");
        assertThat(MAPPER.readTree(repaired)).isEqualTo(sample());
    }
}
