package io.headroom.controller.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** {@link ReservationBook#edit}: what may change when, checked as a request, journaled, held by the engine. */
class ReservationEditTest {
    static final Instant T0 = ReservationBookTest.T0;
    static final ObjectMapper JSON = new ObjectMapper();

    /** feed-a: line 950 kW, load 800, 300 kW freeable: feasible while asked + promised ≤ 450 kW. */
    static final CapacityPlanner PLANNER = new CapacityPlanner() {
        @Override
        public List<CapacityCheck> check(ReservationScope scope, double kw, ToDoubleFunction<ReservationScope> p) {
            double promised = p.applyAsDouble(scope);
            return List.of(new CapacityCheck(
                    scope.toString(),
                    1000,
                    950,
                    800,
                    0,
                    300,
                    10,
                    kw,
                    promised,
                    Math.max(0, 800 + kw + promised - 950)));
        }

        @Override
        public boolean contains(ReservationScope outer, ReservationScope inner) {
            return outer.equals(inner);
        }
    };

    final List<JsonNode> journal = new ArrayList<>();
    final ReservationBook book = new ReservationBook(PLANNER, journal::add, new SimpleMeterRegistry());

    /** 400 kW in feed-a from T0 + 600 s to T0 + 1200 s, freed from T0 + 300 s. */
    String submit() {
        ReservationRequest request = new ReservationRequest(
                400,
                ReservationBookTest.FEED,
                T0.plusSeconds(600),
                T0.plusSeconds(1200),
                Duration.ofSeconds(300),
                50,
                "job");
        return book.submit(request, "ai", T0).reservation().path("id").asText();
    }

    JsonNode edit(String id, String patch, long atSeconds) throws Exception {
        return book.edit(id, JSON.readTree(patch), "olga", T0.plusSeconds(atSeconds))
                .reservation();
    }

    @Test
    void kwAndWindow_whileScheduled_journaled_heldByTheEngine_restartKeepsIt() throws Exception {
        String id = submit();
        int lines = journal.size();

        JsonNode edited =
                edit(id, "{\"kw\": 300, \"start\": \"" + T0.plusSeconds(900) + "\", \"lead_seconds\": 60}", 10);

        assertThat(edited.path("kw").asDouble()).isEqualTo(300);
        assertThat(edited.path("start").asText()).isEqualTo(T0.plusSeconds(900).toString());
        assertThat(edited.path("edited_by").asText()).isEqualTo("olga");
        assertThat(edited.path("scope").path("id").asText()).isEqualTo("feed-a");
        assertThat(journal).hasSize(lines + 1);
        assertThat(book.holds(T0.plusSeconds(839)))
                .as("freed from the new start − lead")
                .isEmpty();
        assertThat(book.holds(T0.plusSeconds(840)))
                .singleElement()
                .satisfies(h -> assertThat(h.kw()).isEqualTo(300));
        ReservationBook restarted =
                ReservationBook.restore(journal, PLANNER, ReservationListener.NONE, new SimpleMeterRegistry());
        JsonNode back = restarted.get(id).orElseThrow();
        assertThat(back.path("kw").asDouble()).isEqualTo(300);
        assertThat(back.path("lead_seconds").asLong()).isEqualTo(60);
        assertThat(back.path("edited_at").asText()).isEqualTo(T0.plusSeconds(10).toString());
    }

    @Test
    void moreKw_checkedBesideTheOthers_notBesideItself_422WithTheArithmetic() throws Exception {
        String id = submit();

        // 800 + 450 − 950 = 300 kW to free, all the feed can give: its own 400 kW do not count twice.
        assertThat(edit(id, "{\"kw\": 450}", 10).path("kw").asDouble()).isEqualTo(450);
        assertThatThrownBy(() -> edit(id, "{\"kw\": 500}", 20))
                .isInstanceOfSatisfying(ReservationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReservationException.Reason.INFEASIBLE);
                    assertThat(e.arithmetic()
                                    .path("checks")
                                    .get(0)
                                    .path("needed_kw")
                                    .asDouble())
                            .isEqualTo(350);
                })
                .hasMessageContaining("cannot free 500.0 kW");
        assertThat(book.get(id).orElseThrow().path("kw").asDouble()).isEqualTo(450);
    }

    @Test
    void onceFreeing_theStartAndLeadAreFixed_kwAndEndMayChange() throws Exception {
        String id = submit();
        book.holds(T0.plusSeconds(300));

        assertThatThrownBy(() -> edit(id, "{\"start\": \"" + T0.plusSeconds(700) + "\", \"lead_seconds\": 10}", 310))
                .isInstanceOfSatisfying(ReservationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReservationException.Reason.CONFLICT);
                    assertThat(e.problems()).extracting(p -> p.split(":")[0]).containsExactly("start", "lead_seconds");
                });
        JsonNode edited = edit(id, "{\"kw\": 350, \"end\": \"" + T0.plusSeconds(1800) + "\"}", 320);
        assertThat(edited.path("state").asText()).isEqualTo("freeing");
        assertThat(book.holds(T0.plusSeconds(1500)))
                .singleElement()
                .satisfies(h -> assertThat(h.kw()).isEqualTo(350));
    }

    @Test
    void anEndedReservation_409_theSameTerms_changeNothing() throws Exception {
        String id = submit();
        int lines = journal.size();
        assertThat(edit(id, "{\"kw\": 400, \"priority\": 50}", 10).has("edited_at"))
                .isFalse();
        assertThat(journal).hasSize(lines);

        book.cancel(id, "olga", T0.plusSeconds(20));
        assertThatThrownBy(() -> edit(id, "{\"kw\": 300}", 30))
                .isInstanceOfSatisfying(
                        ReservationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReservationException.Reason.CONFLICT))
                .hasMessage("reservation " + id + " is cancelled; a reservation that has ended cannot be edited");
        assertThatThrownBy(() -> edit("rsv-none", "{\"kw\": 300}", 30))
                .isInstanceOfSatisfying(
                        ReservationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReservationException.Reason.UNKNOWN));
    }

    @Test
    void eachField_validatedAsARequest_400_namingIt() throws Exception {
        String id = submit();
        List<String> problems = new ArrayList<>();
        for (String body : List.of(
                "{\"kw\": -1}",
                "{\"kw\": \"lots\"}",
                "{\"start\": \"soon\"}",
                "{\"end\": \"" + T0.plusSeconds(100) + "\"}",
                "{\"lead_seconds\": 99999}",
                "{\"priority\": 500}",
                "{\"scope\": {\"kind\": \"feed\", \"id\": \"feed-b\"}}",
                "{\"reference\": \"other\"}",
                "{\"colour\": \"red\"}",
                "{\"kw\": null}",
                "{}",
                "[]")) {
            try {
                edit(id, body, 10);
                problems.add(body + " accepted");
            } catch (ReservationException e) {
                assertThat(e.reason()).as(body).isEqualTo(ReservationException.Reason.INVALID);
                problems.add(e.problems().get(0).split("[: ]")[0]);
            }
        }
        assertThat(problems)
                .containsExactly(
                        "kw",
                        "kw",
                        "start",
                        "end",
                        "lead_seconds",
                        "priority",
                        "scope",
                        "reference",
                        "unknown",
                        "kw",
                        "body",
                        "body");
        assertThat(book.get(id).orElseThrow().path("kw").asDouble()).isEqualTo(400);
    }
}
