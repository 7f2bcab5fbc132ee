package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.controller.reservation.CapacityCheck;
import io.headroom.controller.reservation.CapacityPlanner;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationException;
import io.headroom.controller.reservation.ReservationListener;
import io.headroom.controller.reservation.ReservationScope;
import io.headroom.controller.reservation.Reservations;
import io.headroom.controller.site.SiteNodeKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/reservations} over real HTTP: request, idempotent reference, refusal with the
 * arithmetic, show, list, cancel; roles, the write guard, audit and hostile input.
 */
@Timeout(120)
class ReservationApiIT {
    static final String PATH = "/api/v1/reservations";
    static final String BODY = "{\"kw\": 400, \"scope\": {\"kind\": \"feed\", \"id\": \"feed-a\"},"
            + " \"start\": \"2026-12-01T11:00:00Z\", \"end\": \"2026-12-01T13:00:00Z\", \"lead_seconds\": 600,"
            + " \"reference\": \"job-7\"}";

    /** feed-a: limit 1,000 kW, shed line 950, load 800, 300 kW freeable; site-wide nothing binds. */
    static final class Planner implements CapacityPlanner {
        @Override
        public List<CapacityCheck> check(
                ReservationScope scope, double kw, ToDoubleFunction<ReservationScope> promisedKw) {
            if (!scope.equals(new ReservationScope(SiteNodeKind.FEED, "feed-a"))) {
                throw new ReservationException(ReservationException.Reason.INVALID, "the site has no " + scope);
            }
            double promised = promisedKw.applyAsDouble(scope);
            return List.of(new CapacityCheck(
                    scope.toString(),
                    1000,
                    950,
                    800,
                    200,
                    300,
                    60,
                    kw,
                    promised,
                    Math.max(0, 800 + kw + promised - 950)));
        }

        @Override
        public boolean contains(ReservationScope outer, ReservationScope inner) {
            return outer.equals(inner);
        }
    }

    @TempDir
    Path dir;

    final ReservationBook book =
            new ReservationBook(new Planner(), ReservationListener.NONE, new SimpleMeterRegistry());
    ApiFixture api;
    String operator;
    String viewer;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(
                ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")), Reservations.of(book));
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
    void request_again_show_list_cancel() throws Exception {
        Reply created = api.post(PATH, operator, BODY);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode r = created.json();
        String id = r.get("id").asText();
        assertThat(id).startsWith("rsv-");
        assertThat(created.header("Location")).isEqualTo(PATH + "/" + id);
        assertThat(r.get("state").asText()).isEqualTo("scheduled");
        assertThat(r.get("kw").asDouble()).isEqualTo(400);
        assertThat(r.get("created_by").asText()).isEqualTo(TestUsers.OPERATOR);
        assertThat(r.get("checks").get(0).get("needed_kw").asDouble()).isEqualTo(250);
        assertThat(r.get("checks").get(0).get("feasible").asBoolean()).isTrue();

        Reply again = api.post(PATH, operator, BODY);
        assertThat(again.status())
                .as("the same reference and terms: the same reservation")
                .isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(id);
        Reply otherTerms = api.post(PATH, operator, BODY.replace("400", "350"));
        assertThat(otherTerms.status()).isEqualTo(409);
        assertThat(otherTerms.json().get("error").asText()).contains("job-7").contains(id);

        Reply shown = api.get(PATH + "/" + id, viewer);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().get("samples").isArray()).isTrue();
        assertThat(api.get(PATH, viewer).json()).hasSize(1);

        Reply cancelled = delete(PATH + "/" + id, operator);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("cancelled_by").asText()).isEqualTo(TestUsers.OPERATOR);
        assertThat(delete(PATH + "/" + id, operator).status()).isEqualTo(409);
        assertThat(delete(PATH + "/rsv-00000000-0000-0000-0000-000000000000", operator)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void impossible_422_withTheArithmetic_nothingKept() throws Exception {
        Reply refused = api.post(PATH, operator, BODY.replace("400", "600"));
        assertThat(refused.status()).isEqualTo(422);
        JsonNode check = refused.json().get("arithmetic").get("checks").get(0);
        assertThat(check.get("needed_kw").asDouble()).isEqualTo(450);
        assertThat(check.get("freeable_kw").asDouble()).isEqualTo(300);
        assertThat(check.get("short_kw").asDouble()).isEqualTo(150);
        assertThat(refused.json().get("error").asText())
                .contains("cannot free 600.0 kW")
                .contains("feed feed-a")
                .contains("short by 150.0 kW");
        assertThat(book.list()).isEmpty();

        Reply unknownScope = api.post(PATH, operator, BODY.replace("feed-a", "feed-z"));
        assertThat(unknownScope.status()).isEqualTo(400);
        assertThat(unknownScope.json().get("error").asText()).contains("feed feed-z");
    }

    @Test
    void invalidBodies_400_everyProblemNamed() throws Exception {
        Reply reply = api.post(
                PATH,
                operator,
                "{\"kw\": -5, \"scope\": {\"kind\": \"device\", \"id\": \"m1\"}, \"start\": \"soon\","
                        + " \"end\": \"2026-12-01T13:00:00Z\", \"priority\": 500, \"colour\": \"red\"}");
        assertThat(reply.status()).isEqualTo(400);
        String problems = reply.json().get("problems").toString();
        assertThat(problems)
                .contains("kw: must be above 0")
                .contains("scope.kind 'device'")
                .contains("start: 'soon' is not an ISO-8601 instant")
                .contains("priority: a whole number from 0 to 100")
                .contains("unknown field 'colour'");
        Reply backwards = api.post(PATH, operator, BODY.replace("13:00", "10:30"));
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().get("error").asText()).contains("end: must be after start");
    }

    @Test
    void hostileBodies_refusedClearly() throws Exception {
        assertThat(api.post(PATH, operator, "{\"kw\": 5").status()).isEqualTo(400);
        assertThat(api.post(PATH, operator, BODY.replace("400", "NaN")).status())
                .isEqualTo(400);
        assertThat(api.post(PATH, operator, BODY.replace("400", "1e308")).status())
                .isEqualTo(400);
        assertThat(api.post(PATH, operator, BODY.replace("\"kw\": 400", "\"kw\": 400, \"kw\": 4"))
                        .status())
                .isEqualTo(400);
        assertThat(api.post(PATH, operator, "[]").status()).isEqualTo(400);
        assertThat(api.post(PATH, operator, "null").status()).isEqualTo(400);
        Reply oversize = api.post(PATH, operator, "{\"reference\": \"" + "x".repeat(9000) + "\"}");
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(book.list()).isEmpty();
    }

    @Test
    void roles_auth_andTheWriteGuard_audited() throws Exception {
        Reply asViewer = api.post(PATH, viewer, BODY);
        assertThat(asViewer.status()).isEqualTo(403);
        assertThat(asViewer.json().get("error").asText()).contains("needs operator");
        assertThat(api.get(PATH, viewer).status()).isEqualTo(200);
        assertThat(api.get(PATH, "").status()).isEqualTo(401);
        assertThat(api.post(PATH, "", BODY).status()).isEqualTo(401);
        Reply plain = api.send(
                "POST", PATH, "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: text/plain\r\n" + operator, BODY);
        assertThat(plain.status()).isEqualTo(415);
        String id = api.post(PATH, operator, BODY).json().get("id").asText();
        Reply foreign = api.send(
                "DELETE",
                PATH + "/" + id,
                "Host: 127.0.0.1:" + api.port()
                        + "\r\nContent-Type: application/json\r\nOrigin: https://evil.example\r\n" + operator,
                "");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(delete(PATH + "/" + id, viewer).status()).isEqualTo(403);
        assertThat(book.get(id).orElseThrow().get("state").asText()).isEqualTo("scheduled");
        assertThat(api.send(
                                "PUT",
                                PATH,
                                "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n" + operator,
                                BODY)
                        .status())
                .isEqualTo(405);
        for (String path :
                List.of(PATH + "/../devices", PATH + "/a/b", PATH + "/", PATH + "/%00", PATH + "/" + id + "x/")) {
            assertThat(api.get(path, viewer).status()).as(path).isEqualTo(404);
        }
        Reply audit = api.get("/api/v1/audit", operator);
        assertThat(audit.body()).contains("reservation-request").contains("reservation " + id + " scheduled");
    }

    @Test
    void flood_ofDistinctReferences_boundedAndRefused() throws Exception {
        int created = 0;
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            // Tiny reservations, each feasible on its own, in windows that do not overlap.
            String body = "{\"kw\": 0.001, \"scope\": {\"kind\": \"feed\", \"id\": \"feed-a\"}, \"start\": \""
                    + api.clock.instant().plusSeconds(7200L * i + 3600) + "\", \"end\": \""
                    + api.clock.instant().plusSeconds(7200L * i + 7000) + "\", \"reference\": \"f-" + i + "\"}";
            int status = api.post(PATH, operator, body).status();
            if (status == 201) {
                created++;
            } else if (status == 429) {
                refused++;
            }
        }
        assertThat(created).isEqualTo(ReservationBook.MAX_OPEN);
        assertThat(refused).isEqualTo(300 - ReservationBook.MAX_OPEN);
        assertThat(book.list()).hasSize(ReservationBook.MAX_OPEN);
    }
}
