package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.controller.grid.DryRun;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventListener;
import io.headroom.controller.grid.GridEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code PATCH /api/v1/grid-events/{id}} over real HTTP: the edit, the engine's view of it, roles, the guard, hostile input. */
@Timeout(120)
class GridEventEditApiIT {
    static final String PATH = GridEventApiIT.PATH;

    @TempDir
    Path dir;

    final GridEventBook book = new GridEventBook(GridEventListener.NONE, new SimpleMeterRegistry());
    ApiFixture api;
    String operator;
    String viewer;
    String id;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(
                ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")), GridEvents.of(book, DryRun.NONE));
        operator = api.bearer(TestUsers.OPERATOR);
        viewer = api.bearer(TestUsers.VIEWER);
        // 500 kW from 10:00 to 12:00, deadline 10:05.
        id = api.post(PATH, operator, GridEventApiIT.EVENT).json().get("id").asText();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    Reply patch(String path, String headers, String body) throws Exception {
        return api.send(
                "PATCH",
                path,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + headers,
                body);
    }

    @Test
    void targetAndEnd_edited_theEngineSeesTheNewTarget_audited() throws Exception {
        book.observe(api.clock.instant(), 700, true, false);

        Reply edited = patch(PATH + "/" + id, operator, "{\"target_kw\": 450, \"end\": \"2026-12-01T13:00:00Z\"}");

        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("revision").asInt()).isEqualTo(2);
        assertThat(edited.json().get("target_kw").asDouble()).isEqualTo(450);
        assertThat(edited.json().get("end").asText()).isEqualTo("2026-12-01T13:00:00Z");
        assertThat(edited.json().get("reference").asText()).isEqualTo("4cp-1");
        assertThat(book.activeTarget(api.clock.instant()).orElseThrow().finalTargetKw())
                .as("the engine's next tick")
                .isEqualTo(450);
        assertThat(api.get(PATH, viewer).json().get(0).get("target_kw").asDouble())
                .isEqualTo(450);

        patch(PATH + "/" + id, operator, "{\"target_kw\": -1}");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            JsonNode entry = ApiFixture.JSON.readTree(line);
            if (entry.get("action").asText().equals("grid-event-edit")) {
                lines.add(entry.get("user").asText() + " " + entry.get("target").asText() + " "
                        + entry.get("status").asInt() + " "
                        + entry.get("detail").asText());
            }
        }
        assertThat(lines)
                .containsExactly(
                        "olga " + id + " 200 {\"target_kw\": 450, \"end\": \"2026-12-01T13:00:00Z\"}",
                        "olga " + id + " 400 {\"target_kw\": -1}");
    }

    @Test
    void eachField_400_namingIt() throws Exception {
        for (String[] c : new String[][] {
            {"{\"target_kw\": -5}", "target_kw: must be in (0, 1000000] kW, got -5"},
            {"{\"reduce_percent\": 130}", "reduce_percent: must be in (0, 100], got 130"},
            {"{\"end\": \"soon\"}", "end: must be an ISO-8601 time with an offset"},
            {"{\"end\": \"2026-12-01T09:00:00Z\"}", "end: must be after start"},
            {"{\"ramp_seconds\": 99999}", "ramp_seconds: must be a whole number in 0..86400, got 99999"},
            {"{\"start\": \"2026-12-01T11:00:00Z\"}", "start: the event started at"},
            {"{\"priority\": \"urgent\"}", "priority: must be normal or emergency, got 'urgent'"},
            {"{\"source\": \"web\"}", "source: cannot be edited"},
            {"{\"reference\": \"x\"}", "reference: cannot be edited"},
            {"{\"colour\": \"red\"}", "colour: unknown field"},
            {"{\"end\": null}", "end: cannot be removed"},
            {"{}", "body: must be a JSON object of the fields to change"},
            {"[1]", "body: must be a JSON object of the fields to change"},
            {"", "body: must be a JSON object of the fields to change"},
        }) {
            Reply reply = patch(PATH + "/" + id, operator, c[0]);
            // The start of a started event is the one 409 among them.
            assertThat(reply.status()).as(c[0]).isEqualTo(c[0].contains("start") ? 409 : 400);
            assertThat(reply.json().get("error").asText()).as(c[0]).startsWith(c[1]);
        }
        assertThat(book.get(id).orElseThrow().event().revision()).isEqualTo(1);
    }

    @Test
    void pastTheDeadline_theTarget409_theEndStillEditable_anEndedEvent409() throws Exception {
        book.observe(api.clock.instant(), 480, true, false);
        api.clock.advance(Duration.ofMinutes(6));

        Reply target = patch(PATH + "/" + id, operator, "{\"target_kw\": 400}");
        assertThat(target.status()).isEqualTo(409);
        assertThat(target.json().get("error").asText())
                .isEqualTo("target_kw: the deadline passed at 2026-12-01T10:05:00Z; the compliance verdict stands on"
                        + " what was asked by then (the end may still change)");
        Reply end = patch(PATH + "/" + id, operator, "{\"end\": \"2026-12-01T11:00:00Z\"}");
        assertThat(end.status()).isEqualTo(200);
        assertThat(end.json().get("state").asText()).isEqualTo("holding");

        api.send(
                "DELETE",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + operator,
                "");
        Reply over = patch(PATH + "/" + id, operator, "{\"end\": \"2026-12-01T11:30:00Z\"}");
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.json().get("error").asText())
                .isEqualTo("grid event " + id + " is cancelled; an event that is over cannot be edited");
    }

    @Test
    void roles_auth_writeGuard_methods_andHostileBodies() throws Exception {
        String edit = "{\"target_kw\": 450}";
        assertThat(patch(PATH + "/" + id, "", edit).status()).isEqualTo(401);
        Reply asViewer = patch(PATH + "/" + id, viewer, edit);
        assertThat(asViewer.status()).isEqualTo(403);
        assertThat(asViewer.json().get("error").asText()).contains("needs operator");
        Reply plain = api.send(
                "PATCH",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: text/plain\r\n" + operator,
                edit);
        assertThat(plain.status()).isEqualTo(415);
        Reply foreign = patch(PATH + "/" + id, "Origin: https://evil.example\r\n" + operator, edit);
        assertThat(foreign.status()).isEqualTo(403);
        Reply put = api.send(
                "PUT",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + operator,
                edit);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("PATCH");
        assertThat(patch(PATH, operator, edit).status()).as("the collection").isEqualTo(405);

        Reply garbage = patch(PATH + "/" + id, operator, "{\"target_kw\": 4");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("error").asText()).startsWith("body: not valid JSON");
        Reply duplicate = patch(PATH + "/" + id, operator, "{\"target_kw\": 4, \"target_kw\": 5}");
        assertThat(duplicate.status()).isEqualTo(400);
        Reply oversize =
                patch(PATH + "/" + id, operator, "{\"end\": \"" + "x".repeat(GridEventRoutes.MAX_BODY_BYTES) + "\"}");
        assertThat(oversize.status()).isEqualTo(413);
        Reply unknown = patch(PATH + "/6f1c2e1a-0000-0000-0000-000000000000", operator, edit);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(patch(PATH + "/../devices", operator, edit).status()).isEqualTo(404);
        assertThat(book.get(id).orElseThrow().targetKw()).as("nothing changed").isEqualTo(500);
    }
}
