package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationListener;
import io.headroom.controller.reservation.Reservations;
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

/** {@code PATCH /api/v1/reservations/{id}} over real HTTP: the edit, the engine's hold, roles, the guard, hostile input. */
@Timeout(120)
class ReservationEditApiIT {
    static final String PATH = ReservationApiIT.PATH;

    @TempDir
    Path dir;

    final ReservationBook book =
            new ReservationBook(new ReservationApiIT.Planner(), ReservationListener.NONE, new SimpleMeterRegistry());
    ApiFixture api;
    String operator;
    String viewer;
    String id;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(
                ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")), Reservations.of(book));
        operator = api.bearer(TestUsers.OPERATOR);
        viewer = api.bearer(TestUsers.VIEWER);
        // 400 kW in feed-a from 11:00 to 13:00, freed from 10:50; now is 10:00.
        id = api.post(PATH, operator, ReservationApiIT.BODY).json().get("id").asText();
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
    void kwAndWindow_edited_theEngineHoldsTheNewTerms_audited() throws Exception {
        Reply edited = patch(
                PATH + "/" + id,
                operator,
                "{\"kw\": 300, \"start\": \"2026-12-01T10:30:00Z\", \"end\": \"2026-12-01T12:00:00Z\"}");

        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        JsonNode r = edited.json();
        assertThat(r.get("kw").asDouble()).isEqualTo(300);
        assertThat(r.get("start").asText()).isEqualTo("2026-12-01T10:30:00Z");
        assertThat(r.get("edited_by").asText()).isEqualTo(TestUsers.OPERATOR);
        assertThat(r.get("checks").get(0).get("asked_kw").asDouble()).isEqualTo(300);
        // Freed from 10:30 − 600 s: the engine holds 300 kW from 10:20.
        assertThat(book.holds(api.clock.instant().plus(Duration.ofMinutes(19)))).isEmpty();
        assertThat(book.holds(api.clock.instant().plus(Duration.ofMinutes(20))))
                .singleElement()
                .satisfies(h -> assertThat(h.kw()).isEqualTo(300));
        assertThat(api.get(PATH + "/" + id, viewer).json().get("kw").asDouble()).isEqualTo(300);

        Reply impossible = patch(PATH + "/" + id, operator, "{\"kw\": 600}");
        assertThat(impossible.status()).isEqualTo(422);
        assertThat(impossible
                        .json()
                        .get("arithmetic")
                        .get("checks")
                        .get(0)
                        .get("short_kw")
                        .asDouble())
                .isEqualTo(150);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            JsonNode entry = ApiFixture.JSON.readTree(line);
            if (entry.get("action").asText().equals("reservation-edit")) {
                lines.add(
                        entry.get("target").asText() + " " + entry.get("status").asInt());
            }
        }
        assertThat(lines).containsExactly(id + " 200", id + " 422");
    }

    @Test
    void eachField_400_namingIt_andWhatHasBegunOrEnded_409() throws Exception {
        for (String[] c : new String[][] {
            {"{\"kw\": -5}", "kw: must be above 0"},
            {"{\"kw\": \"lots\"}", "kw: required, a number of kW"},
            {"{\"start\": \"soon\"}", "start: 'soon' is not an ISO-8601 instant"},
            {"{\"end\": \"2026-12-01T10:30:00Z\"}", "end: must be after start"},
            {"{\"lead_seconds\": -1}", "lead_seconds: a whole number from 0 to 86400"},
            {"{\"priority\": 500}", "priority: a whole number from 0 to 100"},
            {"{\"scope\": {\"kind\": \"feed\", \"id\": \"feed-b\"}}", "scope: cannot be edited"},
            {"{\"reference\": \"job-8\"}", "reference: cannot be edited"},
            {"{\"colour\": \"red\"}", "unknown field 'colour'"},
            {"{\"kw\": null}", "kw: cannot be removed"},
            {"{}", "body: must be a JSON object of the fields to change"},
            {"[]", "body: must be a JSON object of the fields to change"},
        }) {
            Reply reply = patch(PATH + "/" + id, operator, c[0]);
            assertThat(reply.status()).as(c[0]).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).as(c[0]).startsWith(c[1]);
        }
        assertThat(patch(PATH + "/" + id, operator, "").status()).isEqualTo(400);

        api.clock.advance(Duration.ofMinutes(55));
        book.holds(api.clock.instant());
        Reply started = patch(PATH + "/" + id, operator, "{\"start\": \"2026-12-01T11:30:00Z\"}");
        assertThat(started.status()).isEqualTo(409);
        assertThat(started.json().get("error").asText())
                .startsWith("start: the engine began freeing the capacity at 2026-12-01T10:50:00Z");
        assertThat(patch(PATH + "/" + id, operator, "{\"kw\": 350}").status())
                .as("the capacity may still change")
                .isEqualTo(200);

        api.send(
                "DELETE",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + operator,
                "");
        Reply ended = patch(PATH + "/" + id, operator, "{\"kw\": 300}");
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.json().get("error").asText())
                .isEqualTo("reservation " + id + " is cancelled; a reservation that has ended cannot be edited");
    }

    @Test
    void roles_auth_writeGuard_methods_andHostileBodies() throws Exception {
        String edit = "{\"kw\": 300}";
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
        assertThat(patch(PATH + "/" + id, "Origin: https://evil.example\r\n" + operator, edit)
                        .status())
                .isEqualTo(403);
        Reply put = api.send(
                "PUT",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + operator,
                edit);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("PATCH");
        assertThat(patch(PATH, operator, edit).status()).as("the collection").isEqualTo(405);

        assertThat(patch(PATH + "/" + id, operator, "{\"kw\": 3").status()).isEqualTo(400);
        assertThat(patch(PATH + "/" + id, operator, "{\"kw\": 3, \"kw\": 4}").status())
                .isEqualTo(400);
        assertThat(patch(PATH + "/" + id, operator, "{\"kw\": NaN}").status()).isEqualTo(400);
        assertThat(patch(PATH + "/" + id, operator, "{\"reference\": \"" + "x".repeat(9000) + "\"}")
                        .status())
                .isEqualTo(413);
        assertThat(patch(PATH + "/rsv-00000000-0000-0000-0000-000000000000", operator, edit)
                        .status())
                .isEqualTo(404);
        assertThat(patch(PATH + "/nonsense", operator, edit).status()).isEqualTo(404);
        assertThat(book.get(id).orElseThrow().get("kw").asDouble())
                .as("nothing changed")
                .isEqualTo(400);
    }
}
