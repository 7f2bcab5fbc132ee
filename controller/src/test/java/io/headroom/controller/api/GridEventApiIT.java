package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventListener;
import io.headroom.controller.grid.GridEventRequest;
import io.headroom.controller.grid.GridEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/grid-events} over real HTTP: the happy path, roles, the write guard and hostile input. */
@Timeout(120)
class GridEventApiIT {
    static final String PATH = "/api/v1/grid-events";
    static final String EVENT = "{\"target_kw\": 500, \"end\": \"2026-12-01T12:00:00Z\", \"reference\": \"4cp-1\"}";

    @TempDir
    Path dir;

    final GridEventBook book = new GridEventBook(GridEventListener.NONE, new SimpleMeterRegistry());
    final List<GridEventRequest> planned = new CopyOnWriteArrayList<>();
    ApiFixture api;
    String operator;
    String viewer;

    @BeforeEach
    void start() throws Exception {
        GridEvents grid = GridEvents.of(book, (request, now) -> {
            planned.add(request);
            return ApiFixture.JSON.createObjectNode().put("actions", 2).put("at", now.toString());
        });
        api = ApiFixture.start(ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")), grid);
        operator = api.bearer(TestUsers.OPERATOR);
        viewer = api.bearer(TestUsers.VIEWER);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    Reply delete(String path, String headers) throws Exception {
        return api.send(
                "DELETE",
                path,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + headers,
                "");
    }

    @Test
    void create_show_list_update_cancel() throws Exception {
        Reply created = api.post(PATH, operator, EVENT);

        assertThat(created.status()).isEqualTo(201);
        JsonNode event = created.json();
        String id = event.get("id").asText();
        assertThat(created.header("Location")).isEqualTo(PATH + "/" + id);
        assertThat(event.get("state").asText()).isEqualTo("ramping");
        assertThat(event.get("target_kw").asDouble()).isEqualTo(500);
        assertThat(event.get("created_by").asText()).isEqualTo(TestUsers.OPERATOR);
        assertThat(event.get("start").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(event.get("deadline").asText()).isEqualTo("2026-12-01T10:05:00Z");
        assertThat(event.has("compliance")).as("only on GET by id").isFalse();

        book.observe(api.clock.instant(), 480, true, false);
        book.acted(id, "m1", "sleep", api.clock.instant());
        Reply shown = api.get(PATH + "/" + id, viewer);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().get("state").asText()).isEqualTo("holding");
        assertThat(shown.json().get("reached_target_at").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(shown.json().get("site_load_source").asText()).isEqualTo("metered");
        assertThat(shown.json().get("compliance")).hasSize(1);
        assertThat(shown.json().get("devices").get(0).get("device").asText()).isEqualTo("m1");
        assertThat(shown.json().get("devices_acted_on").asInt()).isEqualTo(1);

        Reply updated = api.post(PATH, operator, EVENT.replace("500", "450"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("id").asText()).isEqualTo(id);
        assertThat(updated.json().get("revision").asInt()).isEqualTo(2);
        Reply list = api.get(PATH, viewer);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        assertThat(list.json().get(0).get("target_kw").asDouble()).isEqualTo(450);

        Reply cancelled = delete(PATH + "/" + id, operator);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("cancelled_by").asText()).isEqualTo(TestUsers.OPERATOR);
        Reply again = delete(PATH + "/" + id, operator);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText())
                .isEqualTo("grid event " + id + " is cancelled already; " + "nothing to cancel");
        assertThat(delete(PATH + "/6f1c2e1a-0000-0000-0000-000000000000", operator)
                        .status())
                .isEqualTo(404);
        assertThat(api.get(PATH + "/6f1c2e1a-0000-0000-0000-000000000000", viewer)
                        .status())
                .isEqualTo(404);

        // A final event's reference starts a new event.
        Reply fresh = api.post(PATH, operator, EVENT);
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.json().get("id").asText()).isNotEqualTo(id);
    }

    @Test
    void writes_audited_withUserEventAndOutcome() throws Exception {
        String id = api.post(PATH, operator, EVENT).json().get("id").asText();
        api.post(PATH, operator, EVENT.replace("500", "450"));
        api.post(PATH, operator, "{\"reduce_percent\": 130}");
        delete(PATH + "/" + id, operator);
        delete(PATH + "/" + id, operator);

        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            JsonNode entry = ApiFixture.JSON.readTree(line);
            if (entry.get("action").asText().startsWith("grid-event")) {
                lines.add(entry.get("user").asText() + " " + entry.get("action").asText() + " "
                        + entry.get("target").asText() + " "
                        + entry.get("status").asInt());
            }
        }
        assertThat(lines)
                .containsExactly(
                        "olga grid-event-create " + id + " 201",
                        "olga grid-event-update " + id + " 200",
                        "olga grid-event-create  400",
                        "olga grid-event-cancel " + id + " 200",
                        "olga grid-event-cancel " + id + " 409");
    }

    @Test
    void invalidBody_400_everyProblemNamed() throws Exception {
        Reply reply = api.post(PATH, operator, "{\"reduce_percent\": 130, \"priority\": \"urgent\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("problems"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        "reduce_percent: must be in (0, 100], got 130",
                        "end: required, an ISO-8601 time like 2026-12-01T18:00:00Z",
                        "priority: must be normal or emergency, got 'urgent'");
        assertThat(book.list()).isEmpty();
    }

    @Test
    void hostileBodies_refusedClearly() throws Exception {
        Reply garbage = api.post(PATH, operator, "{\"target_kw\": 5");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("error").asText()).startsWith("body: not valid JSON");

        Reply nan = api.post(PATH, operator, "{\"target_kw\": NaN, \"end\": \"2026-12-01T12:00:00Z\"}");
        assertThat(nan.status()).isEqualTo(400);
        assertThat(nan.json().get("error").asText()).startsWith("body: not valid JSON");

        Reply huge = api.post(PATH, operator, "{\"target_kw\": 1e308, \"end\": \"2026-12-01T12:00:00Z\"}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.json().get("error").asText()).isEqualTo("target_kw: must be in (0, 1000000] kW, got 1.0E308");

        Reply duplicate = api.post(PATH, operator, "{\"target_kw\": 500, \"target_kw\": 5, \"end\": \"x\"}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().get("error").asText()).contains("Duplicate field 'target_kw'");

        Reply oversize =
                api.post(PATH, operator, "{\"reference\": \"" + "x".repeat(GridEventRoutes.MAX_BODY_BYTES) + "\"}");
        assertThat(oversize.status()).isEqualTo(413);

        Reply array = api.post(PATH, operator, "[]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(book.list()).isEmpty();
    }

    @Test
    void roles_auth_andTheWriteGuard() throws Exception {
        Reply asViewer = api.post(PATH, viewer, EVENT);
        assertThat(asViewer.status()).isEqualTo(403);
        assertThat(asViewer.json().get("error").asText()).contains("needs operator");
        assertThat(api.get(PATH, viewer).status()).isEqualTo(200);

        assertThat(api.get(PATH, "").status()).isEqualTo(401);
        assertThat(api.post(PATH, "", EVENT).status()).isEqualTo(401);

        Reply plain = api.send(
                "POST", PATH, "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: text/plain\r\n" + operator, EVENT);
        assertThat(plain.status()).isEqualTo(415);
        String id = api.post(PATH, operator, EVENT).json().get("id").asText();
        Reply plainDelete = api.send(
                "DELETE",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: text/plain\r\n" + operator,
                "");
        assertThat(plainDelete.status())
                .as("DELETE goes through the write guard too")
                .isEqualTo(415);
        Reply foreign = api.send(
                "DELETE",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port()
                        + "\r\nContent-Type: application/json\r\nOrigin: https://evil.example\r\n" + operator,
                "");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(delete(PATH + "/" + id, viewer).status()).isEqualTo(403);
        assertThat(book.get(id).orElseThrow().state().wireName()).isEqualTo("ramping");
        assertThat(api.send(
                                "PUT",
                                PATH,
                                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + operator,
                                EVENT)
                        .status())
                .isEqualTo(405);
    }

    @Test
    void pathTraversalAndOddIds_404() throws Exception {
        for (String path : List.of(
                PATH + "/..%2F..%2Fetc%2Fpasswd",
                PATH + "/../devices",
                PATH + "/a/b",
                PATH + "/",
                PATH + "/" + "a".repeat(65),
                PATH + "/%00")) {
            Reply reply = api.get(path, viewer);
            assertThat(reply.status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void flood_ofDistinctReferences_boundedAndRefused() throws Exception {
        int created = 0;
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            Reply reply = api.post(PATH, operator, EVENT.replace("4cp-1", "flood-" + i));
            if (reply.status() == 201) {
                created++;
            } else if (reply.status() == 429) {
                refused++;
            }
        }

        assertThat(created).isEqualTo(GridEventBook.MAX_OPEN);
        assertThat(refused).isEqualTo(1000 - GridEventBook.MAX_OPEN);
        assertThat(book.list()).hasSize(GridEventBook.MAX_OPEN);
        // The same reference twice is one event, not two.
        assertThat(api.post(PATH, operator, EVENT.replace("4cp-1", "flood-3")).status())
                .isEqualTo(200);
        assertThat(book.list()).hasSize(GridEventBook.MAX_OPEN);
    }

    @Test
    void dryRun_answersTheEventAndThePlan_keepsNothing() throws Exception {
        Reply reply = api.post(PATH + "/dry-run", operator, EVENT);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("event").get("id").asText()).isEqualTo(GridEventBook.DRY_RUN_ID);
        assertThat(reply.json().get("event").get("target_kw").asDouble()).isEqualTo(500);
        assertThat(reply.json().get("plan").get("actions").asInt()).isEqualTo(2);
        assertThat(planned)
                .singleElement()
                .satisfies(r -> assertThat(r.reference()).isEqualTo("4cp-1"));
        assertThat(book.list()).isEmpty();
        assertThat(api.post(PATH + "/dry-run", viewer, EVENT).status()).isEqualTo(403);
        assertThat(api.post(PATH + "/dry-run", operator, "{}").status()).isEqualTo(400);
        assertThat(api.get(PATH + "/dry-run", viewer).status()).isEqualTo(405);
        assertThat(planned).hasSize(1);
    }

    @Test
    void noBook_404() throws Exception {
        try (ApiFixture bare = ApiFixture.start(ApiSecurity.plaintext(TestUsers.all(), dir.resolve("bare.jsonl")))) {
            Reply reply = bare.get(PATH, bare.bearer(TestUsers.VIEWER));

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().get("error").asText()).startsWith("no grid events: no site model configured");
        }
    }
}
