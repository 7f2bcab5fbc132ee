package io.headroom.controller.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.site.SiteNodeKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The reservation book's life cycle on a stepped clock, its journal form and its restart. */
class ReservationBookTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final ReservationScope FEED = new ReservationScope(SiteNodeKind.FEED, "feed-a");

    /** Always feasible. */
    static final CapacityPlanner PLANNER = new CapacityPlanner() {
        @Override
        public List<CapacityCheck> check(ReservationScope scope, double kw, ToDoubleFunction<ReservationScope> p) {
            return List.of(new CapacityCheck(scope.toString(), 1000, 950, 500, 0, 500, 10, kw, 0, 0));
        }

        @Override
        public boolean contains(ReservationScope outer, ReservationScope inner) {
            return outer.equals(inner);
        }
    };

    final List<JsonNode> journal = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ReservationBook book = new ReservationBook(PLANNER, journal::add, registry);

    String submit() {
        ReservationRequest request = new ReservationRequest(
                400, FEED, T0.plusSeconds(600), T0.plusSeconds(1200), Duration.ofSeconds(300), 50, "job");
        return book.submit(request, "ai", T0).reservation().path("id").asText();
    }

    static ScopeReading load(double loadKw, double aiKw) {
        return new ScopeReading(1000, loadKw, aiKw, true);
    }

    String state(String id) {
        return book.get(id).orElseThrow().path("state").asText();
    }

    @Test
    void scheduledFreeingHoldingShortHoldingRestoringCompleted() {
        String id = submit();
        AtomicBoolean curtailed = new AtomicBoolean(true);
        assertThat(book.holds(T0.plusSeconds(299))).isEmpty();
        assertThat(state(id)).isEqualTo("scheduled");
        assertThat(book.holds(T0.plusSeconds(300))).singleElement().satisfies(h -> {
            assertThat(h.kw()).isEqualTo(400);
            assertThat(h.baselineKw()).isNaN();
        });
        // In its lead, not yet free: freeing, not short (its start has not come).
        book.observe(T0.plusSeconds(301), s -> load(800, 100), x -> curtailed.get(), null);
        assertThat(state(id)).isEqualTo("freeing");
        assertThat(book.holds(T0.plusSeconds(302)).get(0).baselineKw()).isEqualTo(100);
        // Free: 1000 − 600 = 400.
        book.observe(T0.plusSeconds(400), s -> load(600, 100), x -> true, null);
        assertThat(state(id)).isEqualTo("holding");
        // AI grows 150 kW into its reservation: still held (1000 − 750 + 150 = 400).
        book.observe(T0.plusSeconds(700), s -> load(750, 250), x -> true, null);
        assertThat(state(id)).isEqualTo("holding");
        // Other load creeps in past its start: short, with the numbers.
        book.observe(T0.plusSeconds(800), s -> load(900, 250), x -> true, null);
        assertThat(state(id)).isEqualTo("short");
        assertThat(book.get(id).orElseThrow().path("note").asText()).contains("250.0 kW free of 400.0 kW");
        assertThat(registry.get("headroom.reservation.at.risk").gauge().value()).isEqualTo(1);
        // Under a grid event the event's target binds: short, and the note says the event wins.
        book.observe(T0.plusSeconds(850), s -> load(600, 100), x -> true, new GridHold("ev-1", 1200, 1100));
        assertThat(book.get(id).orElseThrow().path("note").asText())
                .contains("grid event ev-1 holds the site at 1200 kW and wins over reservations");
        book.observe(T0.plusSeconds(900), s -> load(600, 100), x -> true, null);
        assertThat(state(id)).isEqualTo("holding");
        assertThat(registry.get("headroom.reservation.at.risk").gauge().value()).isZero();
        // Its end: restoring while anything is still curtailed for it, then completed.
        assertThat(book.holds(T0.plusSeconds(1200))).isEmpty();
        book.observe(T0.plusSeconds(1201), s -> load(600, 100), x -> x.equals(id), null);
        assertThat(state(id)).isEqualTo("restoring");
        book.observe(T0.plusSeconds(1300), s -> load(900, 100), x -> false, null);
        assertThat(state(id)).isEqualTo("completed");
        assertThat(book.get(id).orElseThrow().path("min_freed_kw").asDouble()).isEqualTo(100);
        assertThat(journal)
                .extracting(j -> j.path("state").asText())
                .containsSubsequence("scheduled", "freeing", "holding", "short", "holding", "restoring", "completed");
    }

    @Test
    void aRestartRestoresEachReservationAsItsLastRecordLeftIt() {
        String id = submit();
        book.holds(T0.plusSeconds(300));
        book.observe(T0.plusSeconds(400), s -> load(600, 100), x -> true, null);
        ReservationBook restarted =
                ReservationBook.restore(journal, PLANNER, ReservationListener.NONE, new SimpleMeterRegistry());
        JsonNode back = restarted.get(id).orElseThrow();
        assertThat(back.path("state").asText()).isEqualTo("holding");
        assertThat(back.path("baseline_kw").asDouble()).isEqualTo(100);
        assertThat(back.path("reference").asText()).isEqualTo("job");
        assertThat(restarted.holds(T0.plusSeconds(401)))
                .singleElement()
                .satisfies(h -> assertThat(h.baselineKw()).isEqualTo(100));
        // The same reference after the restart is still the same reservation.
        ReservationRequest again = new ReservationRequest(
                400, FEED, T0.plusSeconds(600), T0.plusSeconds(1200), Duration.ofSeconds(300), 50, "job");
        assertThat(restarted.submit(again, "ai", T0.plusSeconds(402)).created()).isFalse();
    }

    @Test
    void cancelEndsTheHoldNow() {
        String id = submit();
        book.holds(T0.plusSeconds(300));
        book.cancel(id, "operator", T0.plusSeconds(310));
        assertThat(state(id)).isEqualTo("cancelled");
        assertThat(book.holds(T0.plusSeconds(311))).isEmpty();
        assertThat(book.get(id).orElseThrow().path("cancelled_by").asText()).isEqualTo("operator");
    }
}
