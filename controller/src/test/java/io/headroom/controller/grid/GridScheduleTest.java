package io.headroom.controller.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.controller.site.SiteLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridScheduleTest {

    static GridSchedule schedule(String entries) throws ConfigException {
        return new GridSchedule(SiteLoader.parse("site.yaml", "site: s\nlimit-kw: 1000\ngrid-schedule:\n" + entries)
                .file()
                .gridSchedule());
    }

    static final String FOUR_CP = """
              - reference: 4cp
                days: [mon, tue, wed, thu, fri]
                start-time: "16:00"
                end-time: "18:00"
                time-zone: America/Chicago
                target-kw: 600
                ramp-seconds: 900
            """;

    @Test
    void siteYaml_bindsTheSchedule_withDefaults() throws Exception {
        GridSchedule schedule = schedule(FOUR_CP + """
              - reference: nightly
                start-time: "23:00"
                end-time: "01:00"
                reduce-percent: 20
            """);

        GridScheduleEntry nightly = schedule.entries().get(1);
        assertThat(nightly.daysOfWeek()).hasSize(7);
        assertThat(nightly.timeZone()).isEqualTo("UTC");
        assertThat(nightly.rampSeconds()).isEqualTo(300);
        assertThat(nightly.priority()).isEqualTo(GridEventPriority.NORMAL);
        assertThat(nightly.target()).isEqualTo(new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, 20));
        assertThat(SiteLoader.parse("site.yaml", "site: s\nlimit-kw: 10\n")
                        .file()
                        .gridSchedule())
                .isEmpty();
    }

    @Test
    void due_windowsStartingWithin24h_andTheOneInProgress() throws Exception {
        GridSchedule schedule = schedule(FOUR_CP);

        // Tuesday 2026-12-01, 15:00 in Chicago (CST, UTC-6): today's window is ahead.
        List<GridEventRequest> ahead = schedule.due(Instant.parse("2026-12-01T21:00:00Z"));
        assertThat(ahead).singleElement().satisfies(r -> {
            assertThat(r.start()).isEqualTo(Instant.parse("2026-12-01T22:00:00Z"));
            assertThat(r.end()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
            assertThat(r.reference()).isEqualTo("4cp:2026-12-01");
            assertThat(r.source()).isEqualTo("schedule");
            assertThat(r.rampSeconds()).isEqualTo(900);
            assertThat(r.target().value()).isEqualTo(600);
        });
        // 17:00 Chicago: in progress, and tomorrow's starts within 24 h.
        assertThat(schedule.due(Instant.parse("2026-12-01T23:00:00Z")))
                .extracting(GridEventRequest::reference)
                .containsExactly("4cp:2026-12-01", "4cp:2026-12-02");
        // Friday after the window: nothing until Monday.
        assertThat(schedule.due(Instant.parse("2026-12-05T01:00:00Z"))).isEmpty();
    }

    @Test
    void windowAcrossMidnight_endsTheNextDay() throws Exception {
        GridSchedule schedule = schedule("""
              - reference: night
                start-time: "23:00"
                end-time: "01:00"
                target-kw: 100
            """);

        assertThat(schedule.due(Instant.parse("2026-12-02T00:30:00Z"))).first().satisfies(r -> {
            assertThat(r.reference()).isEqualTo("night:2026-12-01");
            assertThat(r.start()).isEqualTo(Instant.parse("2026-12-01T23:00:00Z"));
            assertThat(r.end()).isEqualTo(Instant.parse("2026-12-02T01:00:00Z"));
        });
    }

    @Test
    void dstChange_keepsTheLocalTimes() throws Exception {
        GridSchedule schedule = schedule(FOUR_CP.replace("[mon, tue, wed, thu, fri]", "[sat, sun]"));

        // Chicago springs forward on Sunday 2026-03-08: Saturday's window is CST (UTC-6), Sunday's CDT (UTC-5).
        List<GridEventRequest> due = schedule.due(Instant.parse("2026-03-07T22:30:00Z"));
        assertThat(due).extracting(GridEventRequest::reference).containsExactly("4cp:2026-03-07", "4cp:2026-03-08");
        assertThat(due.get(0).start()).isEqualTo(Instant.parse("2026-03-07T22:00:00Z"));
        assertThat(due.get(1).start()).isEqualTo(Instant.parse("2026-03-08T21:00:00Z"));
        assertThat(due.get(1).end()).isEqualTo(Instant.parse("2026-03-08T23:00:00Z"));
    }

    @Test
    void dstChange_windowInTheGapAndTheOverlap() throws Exception {
        GridSchedule schedule = schedule("""
              - reference: early
                start-time: "01:00"
                end-time: "03:00"
                time-zone: America/Chicago
                target-kw: 100
              - reference: gap
                start-time: "02:00"
                end-time: "03:00"
                time-zone: America/Chicago
                target-kw: 100
                ramp-seconds: 60
            """);

        // Falls back on 2026-11-01: 01:00 is the first (CDT) one, 03:00 is CST; the window lasts 3 h.
        List<GridEventRequest> autumn = schedule.due(Instant.parse("2026-11-01T05:00:00Z"));
        GridEventRequest early = autumn.stream()
                .filter(r -> "early:2026-11-01".equals(r.reference()))
                .findFirst()
                .orElseThrow();
        assertThat(early.start()).isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
        assertThat(early.end()).isEqualTo(Instant.parse("2026-11-01T09:00:00Z"));

        // Springs forward on 2026-03-08: 02:00 does not exist, so 02:00–03:00 is empty and skipped.
        List<GridEventRequest> spring = schedule.due(Instant.parse("2026-03-08T06:00:00Z"));
        assertThat(spring).extracting(GridEventRequest::reference).doesNotContain("gap:2026-03-08");
        assertThat(spring).extracting(GridEventRequest::reference).containsExactly("early:2026-03-08");
        assertThat(schedule.due(Instant.parse("2026-03-09T06:00:00Z")))
                .extracting(GridEventRequest::reference)
                .containsExactly("early:2026-03-09", "gap:2026-03-09");
        GridEventRequest shortened = spring.stream()
                .filter(r -> "early:2026-03-08".equals(r.reference()))
                .findFirst()
                .orElseThrow();
        assertThat(shortened.end()).isEqualTo(Instant.parse("2026-03-08T08:00:00Z"));
        assertThat(shortened.start()).isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    }

    @Test
    void submittingEveryMinute_isIdempotent() throws Exception {
        GridSchedule schedule = schedule(FOUR_CP);
        GridEventBook book = new GridEventBook(GridEventListener.NONE, new SimpleMeterRegistry());
        Instant now = Instant.parse("2026-12-01T21:00:00Z");

        assertThat(schedule.submitDue(book, now)).isEqualTo(1);
        for (int minute = 1; minute <= 90; minute++) {
            schedule.submitDue(book, now.plusSeconds(60L * minute));
        }

        assertThat(book.list())
                .extracting(v -> v.event().reference() + " r" + v.event().revision())
                .containsExactly("4cp:2026-12-02 r1", "4cp:2026-12-01 r1");
        assertThat(book.list().get(1).event().createdBy()).isEqualTo("schedule");
    }

    @Test
    void badEntries_lineNumberedProblems() {
        assertThatThrownBy(() -> schedule("""
                      - reference: a
                        start-time: "4pm"
                        end-time: "18:00"
                        target-kw: 600
                      - reference: b
                        start-time: "16:00"
                        end-time: "18:00"
                        time-zone: Mars/Olympus
                        target-kw: 600
                      - reference: c
                        days: [monday]
                        start-time: "16:00"
                        end-time: "18:00"
                        target-kw: 600
                        reduce-kw: 100
                      - reference: d
                        start-time: "16:00"
                        end-time: "16:30"
                        reduce-percent: 130
                        ramp-seconds: 1800
                        priority: urgent
                    """))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems().stream().map(ConfigProblem::toString))
                                .containsExactly(
                                        "site.yaml:5: grid-schedule[0].start-time: must be a local time HH:MM like"
                                                + " 16:00, got '4pm'",
                                        "site.yaml:11: grid-schedule[1].time-zone: not a known time zone:"
                                                + " 'Mars/Olympus'; write an IANA name like America/Chicago",
                                        "site.yaml:14: grid-schedule[2].days[0]: must be one of mon, tue, wed, thu,"
                                                + " fri, sat, sun",
                                        "site.yaml:22: grid-schedule[3].reduce-percent: 130 is outside 0.001..100",
                                        "site.yaml:24: grid-schedule[3].priority: must be one of normal, emergency"));
    }

    @Test
    void oneTargetPerEntry_rampShorterThanTheWindow_uniqueReferences() {
        assertThatThrownBy(() -> schedule("""
                      - reference: c
                        start-time: "16:00"
                        end-time: "18:00"
                        target-kw: 600
                        reduce-kw: 100
                    """))
                .hasMessageContaining(
                        "site.yaml:7: grid-schedule[0].target-kw: give exactly one of target-kw, reduce-kw,"
                                + " reduce-percent, not 2");
        assertThatThrownBy(() -> schedule("""
                      - reference: d
                        start-time: "16:00"
                        end-time: "16:30"
                        target-kw: 600
                        ramp-seconds: 1800
                    """))
                .hasMessageContaining(
                        "grid-schedule[0].ramp-seconds: must be shorter than the window (1800 s), got 1800");
        assertThatThrownBy(() -> schedule(FOUR_CP + FOUR_CP))
                .hasMessageContaining("grid-schedule: reference '4cp' is used twice");
    }
}
