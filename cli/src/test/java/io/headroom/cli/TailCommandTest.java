package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
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
                .addAlias(7)
                .addValue(3010.5)
                .addOffsetMs(-250)
                .addQuality(Quality.QUALITY_UNCERTAIN)
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
    void render_birth_showsEachDevicesCapabilities() throws Exception {
        Birth birth = Birth.newBuilder()
                .setAgentId("rack-1")
                .setBootId(3)
                .setSeq(1)
                .setPendingFromSeq(1)
                .addDevices(DeviceDescriptor.newBuilder()
                        .setId("pdu-1")
                        .setKind(DeviceKind.DEVICE_KIND_PDU)
                        .addCapabilities(Capability.newBuilder()
                                .setVerb(Verb.VERB_OUTLET_OFF)
                                .addInstances("1")
                                .addInstances("2")
                                .setDangerous(true))
                        .addCapabilities(Capability.newBuilder()
                                .setVerb(Verb.VERB_SET_POWER_CAP)
                                .setUnit("W")
                                .setMin(100)
                                .setMax(700)
                                .setStep(5)
                                .setReadBackMetric("power.cap")
                                .setTolerance(5)))
                .build();

        JsonNode line = json.readTree(tail.render("headroom/v1/demo/rack-1/birth", WireCodec.encode(birth)));

        JsonNode capabilities = line.path("message").path("devices").get(0).path("capabilities");
        assertThat(capabilities.get(0).path("verb").asText()).isEqualTo("VERB_OUTLET_OFF");
        assertThat(capabilities.get(0).path("instances"))
                .extracting(JsonNode::asText)
                .containsExactly("1", "2");
        assertThat(capabilities.get(0).path("dangerous").asBoolean()).isTrue();
        assertThat(capabilities.get(1).path("verb").asText()).isEqualTo("VERB_SET_POWER_CAP");
        assertThat(capabilities.get(1).path("unit").asText()).isEqualTo("W");
        assertThat(capabilities.get(1).path("max").asDouble()).isEqualTo(700);
        assertThat(capabilities.get(1).path("read_back_metric").asText()).isEqualTo("power.cap");
    }

    @Test
    void render_command_showsItsInstance() throws Exception {
        Command command = Command.newBuilder()
                .setCommandId("c-1")
                .setDeviceId("pdu-1")
                .setVerb(Verb.VERB_OUTLET_CYCLE)
                .setInstance("7")
                .setIssuedAtMs(1_700_000_000_000L)
                .setTtlMs(30_000)
                .setVersion(1)
                .build();

        JsonNode line = json.readTree(tail.render("headroom/v1/demo/rack-1/cmd", WireCodec.encode(command)));

        assertThat(line.path("type").asText()).isEqualTo("Command");
        assertThat(line.path("message").path("verb").asText()).isEqualTo("VERB_OUTLET_CYCLE");
        assertThat(line.path("message").path("instance").asText()).isEqualTo("7");
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

    @Test
    void render_gridSignal_isShownAsItsText() throws Exception {
        String signal = "{\"target_percent\": 60, \"timestamp\": \"2026-12-01T14:00:00Z\"}";
        JsonNode line = json.readTree(
                tail.render("headroom/v1/demo/grid/signal", signal.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(line.path("type").asText()).isEqualTo("GridSignal");
        assertThat(line.path("text").asText()).isEqualTo(signal);
    }
}
