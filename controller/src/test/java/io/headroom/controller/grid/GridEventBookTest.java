package io.headroom.controller.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class GridEventBookTest {
    static final Instant T0 = Instant.parse("2026-12-01T15:00:00Z");

    final List<GridEventRecord> journal = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final GridEventBook book = new GridEventBook(journal::add, registry);

    static GridEventRequest request(
            RequestedTarget.Kind kind,
            double value,
            long startSeconds,
            long endSeconds,
            int ramp,
            GridEventPriority priority,
            @Nullable String reference) {
        return new GridEventRequest(
                new RequestedTarget(kind, value),
                T0.plusSeconds(startSeconds),
                T0.plusSeconds(endSeconds),
                ramp,
                priority,
                "api",
                reference);
    }

    static GridEventRequest target(double kw, long startSeconds, long endSeconds, @Nullable String reference) {
        return request(
                RequestedTarget.Kind.TARGET_KW, kw, startSeconds, endSeconds, 300, GridEventPriority.NORMAL, reference);
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    GridEventView view(String id) {
        return book.get(id).orElseThrow();
    }

    List<String> journaledStates() {
        return journal.stream().map(r -> r.state().wireName()).toList();
    }

    @Test
    void lifecycle_pendingRampingHoldingRestoringCompleted() {
        String id = book.submit(target(600, 60, 3600, "r1"), "olga", T0).event().id();
        assertThat(view(id).state()).isEqualTo(GridEventState.PENDING);
        assertThat(book.activeTarget(T0)).isEmpty();

        book.observe(T0, 1000, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.PENDING);
        assertThat(view(id).event().baselineKw()).isNull();

        // At the start the ramp begins at the baseline, the last load the book was told.
        ActiveTarget start = book.activeTarget(at(60)).orElseThrow();
        assertThat(start).isEqualTo(new ActiveTarget(id, 1000, 600, at(360), GridEventPriority.NORMAL));
        assertThat(view(id).state()).isEqualTo(GridEventState.RAMPING);
        assertThat(view(id).event().baselineKw()).isEqualTo(1000);

        book.observe(at(60), 1000, true, false);
        book.observe(at(150), 900, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.RAMPING);
        book.observe(at(200), 599.5, true, false);

        GridEventView holding = view(id);
        assertThat(holding.state()).isEqualTo(GridEventState.HOLDING);
        assertThat(holding.event().reachedTargetAt()).isEqualTo(at(200));
        assertThat(holding.event().timeToTargetSeconds()).isEqualTo(140.0);
        assertThat(holding.event().minLoadKw()).isEqualTo(599.5);
        assertThat(holding.event().maxLoadKw()).isEqualTo(1000);
        assertThat(holding.compliance()).extracting(ComplianceSample::at).containsExactly(at(60), at(150), at(200));
        assertThat(holding.compliance().get(1).targetKw()).isCloseTo(850, within(1e-9));
        // Still in force after reaching it.
        assertThat(book.activeTarget(at(3599)).orElseThrow().targetKw()).isEqualTo(600);

        assertThat(book.activeTarget(at(3600))).isEmpty();
        book.observe(at(3600), 610, true, true);
        assertThat(view(id).state()).isEqualTo(GridEventState.RESTORING);
        book.observe(at(3610), 900, true, true);
        assertThat(view(id).state()).isEqualTo(GridEventState.RESTORING);
        book.observe(at(3620), 1000, true, false);

        GridEventView done = view(id);
        assertThat(done.state()).isEqualTo(GridEventState.COMPLETED);
        assertThat(done.event().finishedAt()).isEqualTo(at(3620));
        assertThat(done.event().siteLoadKw())
                .as("the last load inside the window")
                .isEqualTo(599.5);
        assertThat(journaledStates()).containsExactly("pending", "ramping", "holding", "restoring", "completed");
    }

    @Test
    void ramp_straightLineToTheFinalTargetAtEightyPercentOfTheRamp() {
        String id = book.submit(target(400, 0, 3600, null), "olga", T0).event().id();
        book.observe(T0, 1400, true, false);

        // 1000 kW down over 0.8 × 300 s = 240 s.
        assertThat(book.activeTarget(at(0)).orElseThrow().targetKw()).isEqualTo(1400);
        assertThat(book.activeTarget(at(60)).orElseThrow().targetKw()).isCloseTo(1150, within(1e-9));
        assertThat(book.activeTarget(at(120)).orElseThrow().targetKw()).isCloseTo(900, within(1e-9));
        assertThat(book.activeTarget(at(239)).orElseThrow().targetKw()).isCloseTo(404.1667, within(1e-3));
        assertThat(book.activeTarget(at(240)).orElseThrow().targetKw()).isEqualTo(400);
        assertThat(book.activeTarget(at(300)).orElseThrow())
                .isEqualTo(new ActiveTarget(id, 400, 400, at(300), GridEventPriority.NORMAL));
    }

    @Test
    void ramp_siteAlreadyBelowTarget_finalTargetAtOnce() {
        book.submit(target(400, 0, 3600, null), "olga", T0);
        book.observe(T0, 300, true, false);

        assertThat(book.activeTarget(at(1)).orElseThrow().targetKw()).isEqualTo(400);
    }

    @Test
    void emergency_finalTargetAtOnce() {
        book.submit(
                request(RequestedTarget.Kind.TARGET_KW, 400, 0, 3600, 120, GridEventPriority.EMERGENCY, null),
                "olga",
                T0);
        book.observe(T0, 1400, true, false);

        ActiveTarget target = book.activeTarget(at(0)).orElseThrow();
        assertThat(target.targetKw()).isEqualTo(400);
        assertThat(target.deadline()).isEqualTo(at(120));
        assertThat(target.priority()).isEqualTo(GridEventPriority.EMERGENCY);
    }

    @Test
    void reductions_noTargetUntilABaselineIsKnown_thenFromIt() {
        String percent = book.submit(
                        request(RequestedTarget.Kind.REDUCE_PERCENT, 25, 0, 3600, 300, GridEventPriority.NORMAL, "p"),
                        "olga",
                        T0)
                .event()
                .id();
        assertThat(book.activeTarget(T0)).isEmpty();
        assertThat(view(percent).targetKw()).isNull();

        book.observe(T0, 1000, true, false);

        assertThat(view(percent).targetKw()).isEqualTo(750);
        assertThat(book.activeTarget(at(240)).orElseThrow().targetKw()).isEqualTo(750);

        String kw = book.submit(
                        request(RequestedTarget.Kind.REDUCE_KW, 300, 10, 3600, 300, GridEventPriority.NORMAL, "k"),
                        "olga",
                        at(5))
                .event()
                .id();
        book.observe(at(9), 0, true, false);
        // The baseline is the highest load told in the 30 s before the event became active: 1000, so a
        // meter glitching to 0 W for a moment cannot make the target 0.
        assertThat(book.activeTarget(at(10)).orElseThrow().eventId()).isEqualTo(kw);
        assertThat(view(kw).targetKw()).isEqualTo(700);
    }

    @Test
    void lowestFinalTargetWins() {
        book.observe(T0, 1000, true, false);
        book.submit(target(700, 0, 3600, "a"), "olga", T0);
        String low = book.submit(target(500, 0, 600, "b"), "olga", T0).event().id();
        book.submit(target(300, 1000, 3600, "c"), "olga", T0);

        assertThat(book.activeTarget(at(300)).orElseThrow().eventId()).isEqualTo(low);
        assertThat(book.activeTarget(at(700)).orElseThrow().finalTargetKw()).isEqualTo(700);
        assertThat(book.activeTarget(at(1000)).orElseThrow().finalTargetKw()).isEqualTo(300);
    }

    @Test
    void deadlinePassed_failed_butStillCurtailsUntilItsEnd() {
        String id = book.submit(target(600, 0, 3600, null), "olga", T0).event().id();
        book.observe(at(0), 1000, true, false);
        book.observe(at(299), 700, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.RAMPING);

        book.observe(at(300), 650, true, false);

        assertThat(view(id).state()).isEqualTo(GridEventState.FAILED);
        assertThat(book.activeTarget(at(301)).orElseThrow().targetKw()).isEqualTo(600);
        // Reaching it late is recorded, but the verdict stands.
        book.observe(at(400), 590, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.FAILED);
        assertThat(view(id).event().reachedTargetAt()).isEqualTo(at(400));

        book.observe(at(3600), 590, true, true);
        assertThat(view(id).state()).isEqualTo(GridEventState.RESTORING);
        book.observe(at(3605), 800, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.FAILED);
        assertThat(view(id).event().isFinal()).isTrue();
        assertThat(journaledStates()).containsExactly("ramping", "failed", "failed", "restoring", "failed");
    }

    @Test
    void unmeteredLoad_neverReachesTheTarget() {
        String id = book.submit(target(600, 0, 3600, null), "olga", T0).event().id();
        book.observe(at(0), 1000, false, false);
        book.observe(at(100), 500, false, false);

        assertThat(view(id).state()).isEqualTo(GridEventState.RAMPING);
        assertThat(view(id).toJson(GridEventRecordTest.JSON)
                        .get("site_load_source")
                        .asText())
                .isEqualTo("unmetered");
        book.observe(at(300), 500, false, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.FAILED);
        assertThat(view(id).event().reachedTargetAt()).isNull();
    }

    @Test
    void zeroRamp_reachedOnTheFirstTick_orFailed() {
        String met = book.submit(
                        request(RequestedTarget.Kind.TARGET_KW, 600, 0, 3600, 0, GridEventPriority.EMERGENCY, "m"),
                        "olga",
                        T0)
                .event()
                .id();
        book.observe(at(0), 550, true, false);
        assertThat(view(met).state()).isEqualTo(GridEventState.HOLDING);

        String missed = book.submit(
                        request(RequestedTarget.Kind.TARGET_KW, 500, 10, 3600, 0, GridEventPriority.EMERGENCY, "x"),
                        "olga",
                        at(1))
                .event()
                .id();
        book.observe(at(10), 550, true, false);
        assertThat(view(missed).state()).isEqualTo(GridEventState.FAILED);
    }

    @Test
    void cancel_stopsTheTarget_andASecondCancelIsRefused() {
        String id = book.submit(target(600, 0, 3600, "r"), "olga", T0).event().id();
        book.observe(at(0), 1000, true, false);

        GridEventView cancelled = book.cancel(id, "adam", at(50)).orElseThrow();

        assertThat(cancelled.state()).isEqualTo(GridEventState.CANCELLED);
        assertThat(cancelled.event().cancelledBy()).isEqualTo("adam");
        assertThat(cancelled.event().cancelledAt()).isEqualTo(at(50));
        assertThat(book.activeTarget(at(51))).isEmpty();
        book.observe(at(4000), 1000, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.CANCELLED);
        assertThatThrownBy(() -> book.cancel(id, "adam", at(60)))
                .isInstanceOfSatisfying(
                        GridEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(GridEventException.Reason.FINAL))
                .hasMessage("grid event " + id + " is cancelled already; nothing to cancel");
        assertThat(book.cancel("no-such-id", "adam", at(60))).isEmpty();
    }

    @Test
    void sameReference_updatesNeverDuplicates_untilTheEventIsFinal() {
        Submission first = book.submit(target(600, 60, 3600, "4cp"), "olga", T0);
        Submission again = book.submit(target(600, 60, 3600, "4cp"), "olga", at(1));
        Submission changed = book.submit(target(500, 60, 3600, "4cp"), "olga", at(2));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.event().id()).isEqualTo(first.event().id());
        assertThat(again.event().event().revision())
                .as("an identical submission changes nothing")
                .isEqualTo(1);
        assertThat(changed.created()).isFalse();
        assertThat(changed.event().event().revision()).isEqualTo(2);
        assertThat(changed.event().targetKw()).isEqualTo(500);
        assertThat(changed.event().event().updatedAt()).isEqualTo(at(2));
        assertThat(book.list()).hasSize(1);

        // Another source may use the same reference.
        GridEventRequest other = new GridEventRequest(
                new RequestedTarget(RequestedTarget.Kind.TARGET_KW, 500),
                at(60),
                at(3600),
                300,
                GridEventPriority.NORMAL,
                "utility",
                "4cp");
        assertThat(book.submit(other, "olga", at(3)).created()).isTrue();

        book.cancel(first.event().id(), "olga", at(4));
        Submission after = book.submit(target(500, 60, 3600, "4cp"), "olga", at(5));
        assertThat(after.created()).isTrue();
        assertThat(after.event().id()).isNotEqualTo(first.event().id());
        assertThat(book.list())
                .extracting(GridEventView::id)
                .first()
                .isEqualTo(after.event().id());
    }

    @Test
    void updateOfTheTarget_restartsTheVerdict_updateOfTheEndAloneDoesNot() {
        String id = book.submit(target(600, 0, 3600, "r"), "olga", T0).event().id();
        book.observe(at(0), 1000, true, false);
        book.observe(at(100), 590, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.HOLDING);

        book.submit(target(600, 0, 7200, "r"), "olga", at(110));
        assertThat(view(id).state()).isEqualTo(GridEventState.HOLDING);
        assertThat(view(id).event().revision()).isEqualTo(2);

        book.submit(target(500, 0, 7200, "r"), "olga", at(120));
        assertThat(view(id).state()).isEqualTo(GridEventState.RAMPING);
        assertThat(view(id).event().reachedTargetAt()).isNull();
        assertThat(view(id).event().baselineKw())
                .as("kept: the event started already")
                .isEqualTo(1000);
        book.observe(at(130), 490, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.HOLDING);
    }

    @Test
    void complianceSamples_atMostOnePerInterval_andCapped() {
        String id = book.submit(
                        request(RequestedTarget.Kind.TARGET_KW, 600, 0, 86_400, 300, GridEventPriority.NORMAL, null),
                        "olga",
                        T0)
                .event()
                .id();
        for (int s = 0; s < 60; s++) {
            book.observe(at(s), 1000, true, false);
        }
        assertThat(view(id).compliance()).hasSize(12);

        for (int s = 60; s < 5 * 2100; s += 5) {
            book.observe(at(s), 1000, true, false);
        }
        List<ComplianceSample> samples = view(id).compliance();
        assertThat(samples).hasSizeLessThanOrEqualTo(GridEventBook.MAX_SAMPLES).hasSizeGreaterThan(1000);
        assertThat(samples.get(0).at()).as("the start is kept").isEqualTo(at(0));
        assertThat(samples.get(samples.size() - 1).at()).isEqualTo(at(5 * 2100 - 5));
        assertThat(journaledStates()).as("samples are not journaled").containsExactly("ramping", "failed");
    }

    @Test
    void acted_keepsDistinctDevicesWithTheirFirstAction() {
        String id = book.submit(target(600, 0, 3600, null), "olga", T0).event().id();

        book.acted(id, "m1", "set-power-target 1800", at(1));
        book.acted(id, "m2", "sleep", at(2));
        book.acted(id, "m1", "sleep", at(3));
        book.acted("no-such-event", "m3", "sleep", at(3));

        assertThat(view(id).devices())
                .containsExactly(
                        new DeviceAction("m1", "set-power-target 1800", at(1)), new DeviceAction("m2", "sleep", at(2)));
        assertThat(view(id).event().devicesActedOn()).isEqualTo(2);
        assertThat(book.list().get(0).devices())
                .as("the list leaves devices out")
                .isEmpty();
    }

    @Test
    void tooManyOpenEvents_refused_butUpdatesStillGoThrough() {
        for (int i = 0; i < GridEventBook.MAX_OPEN; i++) {
            book.submit(target(600, 60, 3600, "ref-" + i), "olga", T0);
        }

        assertThatThrownBy(() -> book.submit(target(600, 60, 3600, "one-more"), "olga", T0))
                .isInstanceOfSatisfying(
                        GridEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(GridEventException.Reason.TOO_MANY))
                .hasMessageContaining("at most 100");
        assertThat(book.submit(target(500, 60, 3600, "ref-7"), "olga", T0).created())
                .isFalse();
        assertThat(book.list()).hasSize(GridEventBook.MAX_OPEN);
    }

    @Test
    void finalEvents_keptUpToTheCap_oldestFirstOut() {
        String first = null;
        for (int i = 0; i < GridEventBook.MAX_KEPT + 10; i++) {
            String id = book.submit(target(600, 60, 3600, "r" + i), "olga", at(i))
                    .event()
                    .id();
            book.cancel(id, "olga", at(i));
            if (first == null) {
                first = id;
            }
        }
        assertThat(book.list()).hasSize(GridEventBook.MAX_KEPT);
        assertThat(book.get(first)).isEmpty();
    }

    @Test
    void nonFiniteLoad_ignored_clockStillMovesStates() {
        String id = book.submit(target(600, 0, 3600, null), "olga", T0).event().id();
        book.observe(at(0), 1000, true, false);
        book.observe(at(10), Double.NaN, true, false);
        book.observe(at(20), Double.POSITIVE_INFINITY, true, false);
        book.observe(at(300), -1, true, false);

        GridEventView view = view(id);
        assertThat(view.event().siteLoadKw()).isEqualTo(1000);
        assertThat(view.compliance()).hasSize(1);
        assertThat(view.state()).isEqualTo(GridEventState.FAILED);
    }

    @Test
    void restore_fromTheJournal_sameEventsAndStates() {
        String a = book.submit(target(600, 0, 3600, "a"), "olga", T0).event().id();
        String b = book.submit(target(500, 100, 3600, "b"), "olga", T0).event().id();
        book.observe(at(0), 1000, true, false);
        book.observe(at(50), 550, true, false);
        book.acted(a, "m1", "sleep", at(10));
        book.cancel(b, "adam", at(60));

        GridEventBook restored = GridEventBook.restore(journal, GridEventListener.NONE, new SimpleMeterRegistry());

        assertThat(restored.list())
                .extracting(GridEventView::event)
                .containsExactlyElementsOf(book.list().stream()
                        .map(v -> v.event().devicesActedOn() == 1 ? journalRecordOf(v) : v.event())
                        .toList());
        assertThat(restored.get(a).orElseThrow().state()).isEqualTo(GridEventState.HOLDING);
        assertThat(restored.get(b).orElseThrow().state()).isEqualTo(GridEventState.CANCELLED);
        // The same reference still updates after a restart.
        assertThat(restored.submit(target(450, 0, 3600, "a"), "olga", at(70))
                        .event()
                        .id())
                .isEqualTo(a);
    }

    /** The journal saw event a before the engine acted on it (acts are not journaled). */
    private static GridEventRecord journalRecordOf(GridEventView view) {
        GridEventRecord r = view.event();
        return new GridEventRecord(
                r.id(),
                r.source(),
                r.reference(),
                r.priority(),
                r.state(),
                r.revision(),
                r.target(),
                r.start(),
                r.end(),
                r.rampSeconds(),
                r.baselineKw(),
                r.siteLoadKw(),
                r.siteLoadMetered(),
                r.reachedTargetAt(),
                r.timeToTargetSeconds(),
                r.minLoadKw(),
                r.maxLoadKw(),
                0,
                r.createdBy(),
                r.createdAt(),
                r.updatedAt(),
                r.cancelledAt(),
                r.cancelledBy(),
                r.finishedAt());
    }

    @Test
    void gauge_countsEventsByState() {
        book.submit(target(600, 60, 3600, "a"), "olga", T0);
        String b = book.submit(target(600, 60, 3600, "b"), "olga", T0).event().id();
        book.cancel(b, "olga", T0);

        assertThat(gauge("pending")).isEqualTo(1);
        assertThat(gauge("cancelled")).isEqualTo(1);
        assertThat(gauge("holding")).isZero();
    }

    private double gauge(String state) {
        return Optional.ofNullable(registry.find("headroom.grid.events")
                        .tag("state", state)
                        .gauge())
                .orElseThrow()
                .value();
    }

    @Test
    void concurrentSubmissionsOfOneReference_oneEvent() throws Exception {
        int threads = 8;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Submission>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int kw = 500 + t;
                results.add(pool.submit(() -> {
                    go.await();
                    return book.submit(target(kw, 60, 3600, "same"), "olga", T0);
                }));
            }
            go.countDown();
            int created = 0;
            for (var result : results) {
                created += result.get(30, java.util.concurrent.TimeUnit.SECONDS).created() ? 1 : 0;
            }

            assertThat(created).isEqualTo(1);
            assertThat(book.list())
                    .singleElement()
                    .satisfies(v -> assertThat(v.event().revision()).isEqualTo(threads));
        } finally {
            pool.shutdownNow();
        }
    }
}
