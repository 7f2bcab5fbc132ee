package io.headroom.controller.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GridEventRecordTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-12-01T15:00:00Z");

    static GridEventRecord full() {
        return new GridEventRecord(
                "6f1c2e1a-1111-4222-8333-944455556666",
                "utility",
                "EEA #1",
                GridEventPriority.EMERGENCY,
                GridEventState.FAILED,
                3,
                new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, 12.5),
                T0,
                T0.plusSeconds(7200),
                600,
                1234.567,
                1100.25,
                true,
                T0.plusSeconds(700),
                700.0,
                1050.0,
                1300.0,
                42,
                "olga",
                T0.minusSeconds(60),
                T0.plusSeconds(30),
                T0.plusSeconds(7000),
                "adam",
                T0.plusSeconds(7000));
    }

    static GridEventRecord sparse() {
        return new GridEventRecord(
                "id-2",
                "api",
                null,
                GridEventPriority.NORMAL,
                GridEventState.PENDING,
                1,
                new RequestedTarget(RequestedTarget.Kind.TARGET_KW, 500),
                T0,
                T0.plusSeconds(3600),
                300,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                "schedule",
                T0,
                T0,
                null,
                null,
                null);
    }

    @Test
    void roundTrip_everyFieldSet() throws Exception {
        GridEventRecord record = full();
        String text = JSON.writeValueAsString(record.toJson(JSON));

        assertThat(GridEventRecord.fromJson(JSON.readTree(text))).isEqualTo(record);
        assertThat(text).hasSizeLessThan(1000);
    }

    @Test
    void roundTrip_nullsStayNull() throws Exception {
        GridEventRecord record = sparse();

        assertThat(GridEventRecord.fromJson(JSON.readTree(JSON.writeValueAsString(record.toJson(JSON)))))
                .isEqualTo(record);
        assertThat(record.finalTargetKw()).isEqualTo(500);
        assertThat(record.isFinal()).isFalse();
    }

    @Test
    void fromJson_namesTheBadField() {
        ObjectNode node = full().toJson(JSON);
        node.put("start", "yesterday");
        assertThatThrownBy(() -> GridEventRecord.fromJson(node))
                .hasMessage("start: not an ISO-8601 instant: yesterday");

        ObjectNode state = full().toJson(JSON);
        state.put("state", "sleeping");
        assertThatThrownBy(() -> GridEventRecord.fromJson(state)).hasMessage("state: not a grid event state");

        ObjectNode revision = full().toJson(JSON);
        revision.put("revision", "3");
        assertThatThrownBy(() -> GridEventRecord.fromJson(revision)).hasMessage("revision: must be a whole number");

        ObjectNode requested = full().toJson(JSON);
        requested.putObject("requested");
        assertThatThrownBy(() -> GridEventRecord.fromJson(requested)).hasMessageStartingWith("requested:");

        assertThatThrownBy(() -> GridEventRecord.fromJson(JSON.createArrayNode()))
                .hasMessage("grid event record: must be a JSON object");
    }

    @Test
    void view_json_snakeCaseFields() {
        GridEventView view = new GridEventView(full(), java.util.List.of(), java.util.List.of(), true);
        ObjectNode node = view.toJson(JSON);

        assertThat(node.get("target_kw").asDouble()).isEqualTo(1080.246);
        assertThat(node.get("requested").get("reduce_percent").asDouble()).isEqualTo(12.5);
        assertThat(node.get("deadline").asText()).isEqualTo("2026-12-01T15:10:00Z");
        assertThat(node.get("site_load_source").asText()).isEqualTo("metered");
        assertThat(node.get("state").asText()).isEqualTo("failed");
        assertThat(node.has("devices")).isTrue();
        assertThat(node.has("compliance")).isTrue();
        assertThat(new GridEventView(sparse(), java.util.List.of(), java.util.List.of(), false)
                        .toJson(JSON)
                        .get("baseline_kw")
                        .isNull())
                .isTrue();
    }
}
