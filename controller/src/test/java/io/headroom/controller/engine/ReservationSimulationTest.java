package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationException;
import io.headroom.controller.reservation.ReservationListener;
import io.headroom.controller.reservation.ReservationRequest;
import io.headroom.controller.reservation.ReservationScope;
import io.headroom.controller.reservation.ReservationState;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.site.SiteSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reservations in simulated time on the simulator's physical site: the engine frees the capacity
 * ahead of the start from the reservation's scope only, least efficient miners first, never touches
 * ai-contract, holds it while AI load grows into it, and gives it back after the end without a node
 * over its limit; a request that cannot be freed is refused with the arithmetic.
 */
class ReservationSimulationTest {

    /** Two feeds of 200 devices (one in ten a GPU server, ai-contract); feed-1 limited to 1,000 kW. */
    private static final String SITE = SimulatedSiteRig.siteYaml(2, 4, 2, 25, 200)
            .replace("  - id: feed-1\n    limit-kw: 2000", "  - id: feed-1\n    limit-kw: 1000");

    private static final EngineSettings SETTINGS = EngineSettings.defaults();
    private final ObjectMapper mapper = new ObjectMapper();

    private record Rig(SimulatedSiteRig site, ReservationBook book, SiteTargets targets, List<JsonNode> journal) {}

    private Rig rig(long seed) throws Exception {
        SimulatedSiteRig site = new SimulatedSiteRig(SITE, SETTINGS, seed, 0.01);
        List<JsonNode> journal = new ArrayList<>();
        ReservationListener listener = journal::add;
        ReservationBook book =
                new ReservationBook(new EngineCapacity(site::planning, SETTINGS), listener, new SimpleMeterRegistry());
        SiteTargets targets = new SiteTargets(TargetSource.NONE, book);
        for (int i = 0; i < 10; i++) {
            site.tickWith(targets);
        }
        return new Rig(site, book, targets, journal);
    }

    private static ReservationRequest request(double kw, String feed, Instant start, Duration length, Duration lead) {
        return new ReservationRequest(
                kw, new ReservationScope(SiteNodeKind.FEED, feed), start, start.plus(length), lead, 50, null);
    }

    @Test
    void fourHundredKwOnOneFeedIsFreedAheadFromThatFeedOnlyHeldAndGivenBack() throws Exception {
        Rig rig = rig(11);
        SimulatedSiteRig site = rig.site();
        int feed = site.model.indexOf(SiteNodeKind.FEED, "feed-1");
        int feedEnd = feed;
        while (feedEnd + 1 < site.model.size() && site.model.parent(feedEnd + 1) >= feed) {
            feedEnd++;
        }
        // feed-1's AI servers idle at 2 kW until their job starts.
        List<String> feedGpus = new ArrayList<>();
        for (int node = feed; node <= feedEnd; node++) {
            var device = site.model.device(node);
            if (device != null && site.gpus.containsKey(device.id())) {
                feedGpus.add(device.id());
            }
        }
        assertThat(feedGpus).hasSize(20);
        feedGpus.forEach(gpu -> site.gpus.put(gpu, 2.0));
        for (int i = 0; i < 5; i++) {
            site.tickWith(rig.targets());
        }
        double before = site.power().loadKw(feed);
        double line = site.model.limitKw(feed) * SETTINGS.shedLine();
        assertThat(before + 400)
                .as("400 kW does not fit on feed-1 without shedding")
                .isGreaterThan(line);

        Instant start = site.now.plusSeconds(300);
        var submitted = rig.book()
                .submit(
                        request(400, "feed-1", start, Duration.ofMinutes(20), Duration.ofMinutes(2)),
                        "ai-scheduler",
                        site.now);
        String id = submitted.reservation().path("id").asText();
        assertThat(submitted.created()).isTrue();

        // Before its lead time: nothing happens.
        while (site.now.isBefore(start.minusSeconds(121))) {
            assertThat(site.tickWith(rig.targets()).actions()).isEmpty();
        }
        // Freed by its start.
        while (site.now.isBefore(start)) {
            site.tickWith(rig.targets());
            assertNoLimitExceeded(site.power());
        }
        assertThat(state(rig, id)).isEqualTo(ReservationState.HOLDING);
        assertThat(site.power().loadKw(feed) + 400)
                .as("feed-1 load + 400 kW at the start")
                .isLessThanOrEqualTo(line);

        List<Action> shed = List.copyOf(site.actions);
        assertThat(shed).isNotEmpty().allMatch(a -> id.equals(a.eventId()));
        final int from = feed;
        final int to = feedEnd;
        assertThat(shed).as("only feed-1's devices").allMatch(a -> a.node() > from && a.node() <= to);
        assertThat(shed).as("ai-contract untouched").noneMatch(a -> site.gpus.containsKey(a.deviceId()));
        assertLeastEfficientFirstWithin(site, shed, from, to);

        // AI load arrives into its reservation: its GPU servers go from idle to full power, 120 kW more
        // on feed-1, and no further miner is shed for it.
        feedGpus.forEach(gpu -> site.gpus.put(gpu, SimulatedSiteRig.GPU_KW));
        int shedBeforeGrowth = site.actions.size();
        for (int i = 0; i < 120; i++) {
            site.tickWith(rig.targets());
            assertNoLimitExceeded(site.power());
        }
        assertThat(site.actions.size() - shedBeforeGrowth)
                .as("AI load growing into its own reservation does not push more miners off (noise aside)")
                .isLessThanOrEqualTo(3);
        assertThat(state(rig, id)).isEqualTo(ReservationState.HOLDING);

        // After the end: restored, staggered, never over a limit, then completed.
        while (site.now.isBefore(start.plus(Duration.ofMinutes(20)))) {
            site.tickWith(rig.targets());
        }
        // Restores while it held went only where they fit under the hold: it held throughout.
        assertThat(state(rig, id)).isEqualTo(ReservationState.RESTORING);
        for (int i = 0; i < 1800 && state(rig, id) != ReservationState.COMPLETED; i++) {
            site.tickWith(rig.targets());
            assertNoLimitExceeded(site.power());
        }
        assertThat(state(rig, id)).isEqualTo(ReservationState.COMPLETED);
        assertThat(site.actions.stream().filter(Action::restore)).isNotEmpty();
        assertThat(rig.journal())
                .extracting(j -> j.path("state").asText())
                .contains("scheduled", "freeing", "holding", "restoring", "completed");
        JsonNode record = rig.book().get(id).orElseThrow();
        assertThat(record.path("samples").size()).isGreaterThan(10);
        assertThat(record.path("min_freed_kw").asDouble()).isGreaterThanOrEqualTo(400 * 0.99);
    }

    @Test
    void anImpossibleReservationIsRefusedWithItsShortfall() throws Exception {
        Rig rig = rig(12);
        SimulatedSiteRig site = rig.site();
        ReservationRequest tooMuch =
                request(900, "feed-1", site.now.plusSeconds(60), Duration.ofMinutes(10), Duration.ZERO);
        assertThatThrownBy(() -> rig.book().submit(tooMuch, "ai-scheduler", site.now))
                .isInstanceOfSatisfying(ReservationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReservationException.Reason.INFEASIBLE);
                    assertThat(e.getMessage()).contains("feed feed-1").contains("short by");
                    JsonNode check = e.arithmetic().path("checks").get(0);
                    assertThat(check.path("feasible").asBoolean()).isFalse();
                    double shortKw = check.path("short_kw").asDouble();
                    assertThat(shortKw).isPositive();
                    assertThat(check.path("needed_kw").asDouble()
                                    - check.path("freeable_kw").asDouble())
                            .isCloseTo(shortKw, org.assertj.core.data.Offset.offset(0.01));
                });
        assertThat(rig.book().list()).isEmpty();
        for (int i = 0; i < 120; i++) {
            assertThat(site.tickWith(rig.targets()).actions()).isEmpty();
        }
    }

    @Test
    void aSecondReservationCountsWhatTheFirstHoldsAndTheSameReferenceIsIdempotent() throws Exception {
        Rig rig = rig(13);
        SimulatedSiteRig site = rig.site();
        Instant start = site.now.plusSeconds(600);
        ReservationRequest first = new ReservationRequest(
                300,
                new ReservationScope(SiteNodeKind.FEED, "feed-1"),
                start,
                start.plusSeconds(3600),
                Duration.ofMinutes(5),
                50,
                "job-1");
        var one = rig.book().submit(first, "ai", site.now);
        var again = rig.book().submit(first, "ai", site.now);
        assertThat(again.created()).isFalse();
        assertThat(again.reservation().path("id").asText())
                .isEqualTo(one.reservation().path("id").asText());
        // 600 kW more on the same feed, overlapping: feasible alone, not with the first one's 300 kW.
        ReservationRequest second = new ReservationRequest(
                600,
                new ReservationScope(SiteNodeKind.FEED, "feed-1"),
                start.plusSeconds(1800),
                start.plusSeconds(7200),
                Duration.ZERO,
                50,
                null);
        assertThatThrownBy(() -> rig.book().submit(second, "ai", site.now))
                .isInstanceOfSatisfying(
                        ReservationException.class,
                        e -> assertThat(e.arithmetic()
                                        .path("checks")
                                        .get(0)
                                        .path("promised_kw")
                                        .asDouble())
                                .isEqualTo(300.0));
        // The same reference with other terms is a conflict, not a silent second reservation.
        ReservationRequest changed =
                new ReservationRequest(250, first.scope(), first.start(), first.end(), first.lead(), 50, "job-1");
        assertThatThrownBy(() -> rig.book().submit(changed, "ai", site.now))
                .isInstanceOfSatisfying(
                        ReservationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReservationException.Reason.CONFLICT));
    }

    @Test
    void withAGridEventBothAreMetWhenFeasibleAndTheGridEventWinsWhenNot() throws Exception {
        Rig rig = rig(14);
        SimulatedSiteRig site = rig.site();
        Instant start = site.now.plusSeconds(30);
        String id = rig.book()
                .submit(request(300, "feed-1", start, Duration.ofMinutes(30), Duration.ZERO), "ai", site.now)
                .reservation()
                .path("id")
                .asText();
        double baseline = site.siteKw();
        // Feasible: 80 % of the site, ramped over two minutes.
        double target = baseline * 0.8;
        Instant eventStart = site.now;
        SiteTargets both = new SiteTargets(new FixedTarget("event-1", eventStart, baseline, target), rig.book());
        for (int i = 0; i < 240; i++) {
            site.tickWith(both);
        }
        assertThat(site.siteKw()).isLessThanOrEqualTo(target);
        assertThat(state(rig, id)).isEqualTo(ReservationState.HOLDING);
        assertThat(site.actions).anyMatch(a -> "event-1".equals(a.eventId()));

        // Not feasible: a second event asks for 30 % of the site, below what must run plus the
        // 300 kW promised: the grid event is served first and the reservation says so.
        double now = site.siteKw();
        SiteTargets deeper = new SiteTargets(new FixedTarget("event-2", site.now, now, baseline * 0.3), rig.book());
        for (int i = 0; i < 240; i++) {
            site.tickWith(deeper);
        }
        assertThat(state(rig, id)).isEqualTo(ReservationState.SHORT);
        assertThat(rig.book().get(id).orElseThrow().path("note").asText())
                .contains("grid event event-2 holds the site at")
                .contains("wins over reservations");
        assertThat(site.actions).noneMatch(a -> site.gpus.containsKey(a.deviceId()));
    }

    /** A grid event ramped from the baseline to the target over two minutes, never ending within the test. */
    private record FixedTarget(String id, Instant start, double baseline, double target) implements TargetSource {
        @Override
        public SiteTarget target(Instant now) {
            return SimulatedSiteRig.ramp(id, start, baseline, target, Duration.ofSeconds(120), now);
        }

        @Override
        public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {}
    }

    private static ReservationState state(Rig rig, String id) {
        return ReservationState.parse(
                rig.book().get(id).orElseThrow().path("state").asText());
    }

    private static void assertNoLimitExceeded(SiteSnapshot power) {
        var model = power.model();
        for (int node = 0; node < model.size(); node++) {
            double limit = model.limitKw(node);
            if (!Double.isNaN(limit)) {
                assertThat(power.loadKw(node)).as("load of %s", model.id(node)).isLessThanOrEqualTo(limit);
            }
        }
    }

    /** Every miner slept on the feed is less efficient than every one of its miners left running. */
    private static void assertLeastEfficientFirstWithin(SimulatedSiteRig site, List<Action> shed, int from, int to) {
        Set<String> touched = new HashSet<>();
        shed.forEach(a -> touched.add(a.deviceId()));
        double bestShed = touched.stream().mapToDouble(site::jth).min().orElseThrow();
        double worstKept = 0;
        for (int node = from; node <= to; node++) {
            var device = site.model.device(node);
            if (device != null && site.miners.containsKey(device.id()) && !touched.contains(device.id())) {
                worstKept = Math.max(worstKept, site.jth(device.id()));
            }
        }
        assertThat(bestShed).isGreaterThanOrEqualTo(worstKept * 0.98);
    }
}
