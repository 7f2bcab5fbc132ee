package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Quality;
import org.junit.jupiter.api.Test;

class TailCommandTest {
    private final ObjectMapper json = new ObjectMapper();
    private final TailCommand tail = new TailCommand();

    @Test
    void render_data_showsUnsignedIdsAndOneObjectPerSample() throws Exception {
        Data data = Data.newBuilder()
                .setBootId(-2L) // 2^64 - 2 on the wire: a uint64, never negative
                .setSeq(5)
                .setTimestampMs(1_700_000_000_000L)
                .addAlias(7).addValue(3010.5).addOffsetMs(-250).addQuality(Quality.QUALITY_UNCERTAIN)
                .build();

        JsonNode line = json.readTree(tail.render("headroom/v1/demo/rack-1/data", WireCodec.encode(data)));

        assertThat(line.path("type").asText()).isEqualTo("Data");
        assertThat(line.path("message").path("boot_id").asText()).isEqualTo("18446744073709551614");
        JsonNode sample = line.path("message").path("samples").get(0);
        assertThat(sample.path("alias").asInt()).isEqualTo(7);
        assertThat(sample.path("value").asDouble()).isEqualTo(3010.5);
        assertThat(sample.path("at").asText()).isEqualTo("2023-11-14T22:13:19.750Z");
        assertThat(sample.path("quality").asText()).isEqualTo("QUALITY_UNCERTAIN");
    }

    @Test
    void render_undecodablePayload_isShownWithTheReason_notDropped() throws Exception {
        JsonNode line = json.readTree(tail.render("headroom/v1/demo/rack-1/data", new byte[] {(byte) 0xff}));

        assertThat(line.path("error").asText()).startsWith("Data: ");
        assertThat(line.path("bytes").asInt()).isEqualTo(1);
    }

    @Test
    void render_foreignTopic_isShownAsMalformedTopic() throws Exception {
        JsonNode line = json.readTree(tail.render("headroom/v1/demo/rack-1/telemetry", new byte[] {1}));

        assertThat(line.path("error").asText()).contains("unknown kind 'telemetry'");
    }
}
