package io.headroom.controller.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GridEventRequestTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");

    static GridEventRequest parse(String body) throws Exception {
        return GridEventRequest.parse(JSON.readTree(body), NOW);
    }

    static List<String> problems(String body) throws Exception {
        JsonNode node = JSON.readTree(body);
        GridEventException e = catchThrowableOfType(() -> GridEventRequest.parse(node, NOW), GridEventException.class);
        assertThat(e).as("refused: %s", body).isNotNull();
        assertThat(e.reason()).isEqualTo(GridEventException.Reason.INVALID);
        return e.problems();
    }

    @Test
    void minimal_defaults() throws Exception {
        GridEventRequest request = parse("{\"target_kw\": 500, \"end\": \"2026-12-01T18:00:00Z\"}");

        assertThat(request.target()).isEqualTo(new RequestedTarget(RequestedTarget.Kind.TARGET_KW, 500));
        assertThat(request.start()).isEqualTo(NOW);
        assertThat(request.end()).isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
        assertThat(request.rampSeconds()).isEqualTo(300);
        assertThat(request.priority()).isEqualTo(GridEventPriority.NORMAL);
        assertThat(request.source()).isEqualTo("api");
        assertThat(request.reference()).isNull();
        assertThat(request.deadline()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void everyField_withAnOffsetTime() throws Exception {
        GridEventRequest request = parse("{\"reduce_percent\": 25.5, \"start\": \"2026-12-01T10:00:00-06:00\","
                + " \"end\": \"2026-12-01T12:00:00-06:00\", \"ramp_seconds\": 0, \"priority\": \"emergency\","
                + " \"source\": \"ercot.eea\", \"reference\": \"EEA-2026-12-01 #1\"}");

        assertThat(request.target()).isEqualTo(new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, 25.5));
        assertThat(request.start()).isEqualTo(Instant.parse("2026-12-01T16:00:00Z"));
        assertThat(request.end()).isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
        assertThat(request.rampSeconds()).isZero();
        assertThat(request.priority()).isEqualTo(GridEventPriority.EMERGENCY);
        assertThat(request.source()).isEqualTo("ercot.eea");
        assertThat(request.reference()).isEqualTo("EEA-2026-12-01 #1");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"reduce_percent\": 130 | reduce_percent: must be in (0, 100], got 130",
                "\"reduce_percent\": 0 | reduce_percent: must be in (0, 100], got 0",
                "\"reduce_kw\": -5 | reduce_kw: must be in (0, 1000000] kW, got -5",
                "\"target_kw\": 0 | target_kw: must be in (0, 1000000] kW, got 0",
                "\"target_kw\": 1e308 | target_kw: must be in (0, 1000000] kW, got 1.0E308",
                "\"target_kw\": 1e400 | target_kw: must be a finite number, got Infinity",
                "\"target_kw\": \"500\" | target_kw: must be a number, got the string '500'",
                "\"target_kw\": true | target_kw: must be a number, got boolean",
            })
    void target_outOfRangeOrWrongType_namesTheField(String field, String message) throws Exception {
        assertThat(problems("{" + field + ", \"end\": \"2026-12-01T18:00:00Z\"}"))
                .containsExactly(message);
    }

    @Test
    void target_exactlyOne() throws Exception {
        assertThat(problems("{\"end\": \"2026-12-01T18:00:00Z\"}"))
                .containsExactly("target_kw, reduce_kw or reduce_percent: exactly one is required");
        assertThat(problems("{\"target_kw\": 5, \"reduce_kw\": 5, \"end\": \"2026-12-01T18:00:00Z\"}"))
                .containsExactly("target_kw, reduce_kw, reduce_percent: give exactly one, not 2");
    }

    @Test
    void reducePercent_hundredIsAllowed() throws Exception {
        assertThat(parse("{\"reduce_percent\": 100, \"end\": \"2026-12-01T18:00:00Z\"}")
                        .target()
                        .finalTargetKw(800))
                .isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"end\": \"tomorrow\" | end: must be an ISO-8601 time with an offset, like 2026-12-01T16:00:00Z or"
                        + " 2026-12-01T10:00:00-06:00, got 'tomorrow'",
                "\"end\": \"2026-12-01T18:00:00\" | end: must be an ISO-8601 time with an offset, like"
                        + " 2026-12-01T16:00:00Z or 2026-12-01T10:00:00-06:00, got '2026-12-01T18:00:00'",
                "\"end\": 1764612000 | end: must be a string, got number",
                "\"end\": \"2026-12-01T14:00:00Z\" | end: must be after start (2026-12-01T15:00:00Z), got"
                        + " 2026-12-01T14:00:00Z",
                "\"start\": \"2026-12-01T12:00:00Z\", \"end\": \"2026-12-01T14:00:00Z\" | end: must be in the future"
                        + " (now is 2026-12-01T15:00:00Z), got 2026-12-01T14:00:00Z",
                "\"end\": \"2026-12-09T15:00:00Z\" | end: at most 7 days after start, got 8 days",
                "\"start\": \"2028-01-01T00:00:00Z\", \"end\": \"2028-01-01T02:00:00Z\" | start: at most 366 days"
                        + " ahead, got 2028-01-01T00:00:00Z",
                "\"end\": \"2026-12-01T15:04:00Z\" | ramp_seconds: must be shorter than the event (240 s from now to"
                        + " end), got 300",
                "\"end\": \"2026-12-01T18:00:00Z\", \"ramp_seconds\": 86401 | ramp_seconds: must be a whole number in"
                        + " 0..86400, got 86401",
                "\"end\": \"2026-12-01T18:00:00Z\", \"ramp_seconds\": 1.5 | ramp_seconds: must be a whole number in"
                        + " 0..86400, got 1.5",
                "\"end\": \"2026-12-01T18:00:00Z\", \"ramp_seconds\": -1 | ramp_seconds: must be a whole number in"
                        + " 0..86400, got -1",
                "\"end\": \"2026-12-01T18:00:00Z\", \"priority\": \"urgent\" | priority: must be normal or emergency,"
                        + " got 'urgent'",
                "\"end\": \"2026-12-01T18:00:00Z\", \"priority\": 1 | priority: must be a string, got number",
                "\"end\": \"2026-12-01T18:00:00Z\", \"source\": \"../etc\" | source: 1..64 letters, digits and . _ : -"
                        + " (starting with a letter or digit), got '../etc'",
                "\"end\": \"2026-12-01T18:00:00Z\", \"source\": \"\" | source: 1..64 letters, digits and . _ : -"
                        + " (starting with a letter or digit), got ''",
                "\"end\": \"2026-12-01T18:00:00Z\", \"reference\": \"\" | reference: 1..128 characters, got 0",
                "\"end\": \"2026-12-01T18:00:00Z\", \"reference\": \"a\\nb\" | reference: must not contain control"
                        + " characters",
                "\"end\": \"2026-12-01T18:00:00Z\", \"reference\": 7 | reference: must be a string, got number",
                "\"end\": \"2026-12-01T18:00:00Z\", \"colour\": \"red\" | colour: unknown field; known fields:"
                        + " target_kw, reduce_kw, reduce_percent, start, end, ramp_seconds, priority, source, reference",
            })
    void otherFields_outOfRangeOrWrongType_namesTheField(String fields, String message) throws Exception {
        assertThat(problems("{\"target_kw\": 500, " + fields + "}")).containsExactly(message);
    }

    @Test
    void end_required() throws Exception {
        assertThat(problems("{\"target_kw\": 500}"))
                .containsExactly("end: required, an ISO-8601 time like 2026-12-01T18:00:00Z");
    }

    @Test
    void lengthLimits() throws Exception {
        String end = "\"end\": \"2026-12-01T18:00:00Z\"";
        assertThat(parse("{\"target_kw\": 1, " + end + ", \"source\": \"" + "s".repeat(64) + "\", \"reference\": \""
                                + "r".repeat(128) + "\"}")
                        .reference())
                .hasSize(128);
        assertThat(problems("{\"target_kw\": 1, " + end + ", \"source\": \"" + "s".repeat(65) + "\"}"))
                .singleElement()
                .asString()
                .startsWith("source: 1..64");
        assertThat(problems("{\"target_kw\": 1, " + end + ", \"reference\": \"" + "r".repeat(129) + "\"}"))
                .containsExactly("reference: 1..128 characters, got 129");
    }

    @Test
    void severalProblems_allListed() throws Exception {
        assertThat(problems("{\"reduce_percent\": 130, \"end\": \"later\", \"priority\": \"high\", \"x\": 1}"))
                .containsExactly(
                        "x: unknown field; known fields: target_kw, reduce_kw, reduce_percent, start, end, ramp_seconds,"
                                + " priority, source, reference",
                        "reduce_percent: must be in (0, 100], got 130",
                        "end: must be an ISO-8601 time with an offset, like 2026-12-01T16:00:00Z or"
                                + " 2026-12-01T10:00:00-06:00, got 'later'",
                        "priority: must be normal or emergency, got 'high'");
    }

    @Test
    void notAnObject_refused() throws Exception {
        assertThat(problems("[1, 2]")).singleElement().asString().startsWith("body: must be a JSON object");
        assertThat(problems("null")).singleElement().asString().startsWith("body: must be a JSON object");
    }

    @Test
    void nullValues_countAsAbsent() throws Exception {
        GridEventRequest request = parse("{\"target_kw\": 500, \"reduce_kw\": null, \"start\": null,"
                + " \"end\": \"2026-12-01T18:00:00Z\", \"reference\": null}");

        assertThat(request.start()).isEqualTo(NOW);
        assertThat(request.reference()).isNull();
    }
}
