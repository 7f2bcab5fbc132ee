package io.headroom.controller.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link GridEventBook#edit}: what may change when, validated as a create, journaled, seen by the engine. */
class GridEventEditTest {
    static final Instant T0 = GridEventBookTest.T0;
    static final ObjectMapper JSON = new ObjectMapper();

    final List<GridEventRecord> journal = new ArrayList<>();
    final GridEventBook book = new GridEventBook(journal::add, new SimpleMeterRegistry());

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static JsonNode patch(String json) throws Exception {
        return JSON.readTree(json);
    }

    /** 600 kW from T0 + 60 s to T0 + 3600 s, deadline T0 + 360 s. */
    String pending() {
        return book.submit(GridEventBookTest.target(600, 60, 3600, "r1"), "olga", T0)
                .event()
                .id();
    }

    GridEventView view(String id) {
        return book.get(id).orElseThrow();
    }

    static GridEventException.Reason reason(Runnable edit) {
        try {
            edit.run();
        } catch (GridEventException e) {
            return e.reason();
        }
        throw new AssertionError("the edit was not refused");
    }

    @Test
    void target_whileRamping_newRevision_engineSeesIt_journaled_restartKeepsIt() throws Exception {
        String id = pending();
        book.observe(at(60), 1000, true, false);
        assertThat(book.activeTarget(at(61)).orElseThrow().finalTargetKw()).isEqualTo(600);
        int lines = journal.size();

        GridEventView edited = book.edit(id, patch("{\"target_kw\": 450, \"end\": \"" + at(7200) + "\"}"), at(120))
                .orElseThrow();

        assertThat(edited.event().revision()).isEqualTo(2);
        assertThat(edited.targetKw()).isEqualTo(450);
        assertThat(edited.event().end()).isEqualTo(at(7200));
        assertThat(edited.event().reference()).as("the name stays").isEqualTo("r1");
        assertThat(edited.state()).isEqualTo(GridEventState.RAMPING);
        assertThat(book.activeTarget(at(121)).orElseThrow().finalTargetKw()).isEqualTo(450);
        assertThat(journal).hasSize(lines + 1);
        assertThat(journal.get(lines).target()).isEqualTo(new RequestedTarget(RequestedTarget.Kind.TARGET_KW, 450));
        GridEventBook restored = GridEventBook.restore(journal, GridEventListener.NONE, new SimpleMeterRegistry());
        assertThat(restored.get(id).orElseThrow().targetKw()).isEqualTo(450);
        assertThat(restored.get(id).orElseThrow().event().end()).isEqualTo(at(7200));
    }

    @Test
    void aReductionMayReplaceATarget_andTheSameValuesAreNoNewRevision() throws Exception {
        String id = pending();
        book.observe(at(60), 1000, true, false);

        assertThat(book.edit(id, patch("{\"reduce_percent\": 25}"), at(70))
                        .orElseThrow()
                        .targetKw())
                .isEqualTo(750);
        int lines = journal.size();
        GridEventView same = book.edit(id, patch("{\"reduce_percent\": 25, \"priority\": \"normal\"}"), at(80))
                .orElseThrow();
        assertThat(same.event().revision()).isEqualTo(2);
        assertThat(journal).hasSize(lines);
    }

    @Test
    void afterTheDeadline_onlyTheEndMayChange_theVerdictStands() throws Exception {
        String id = pending();
        book.observe(at(60), 1000, true, false);
        book.observe(at(200), 590, true, false);
        assertThat(view(id).state()).isEqualTo(GridEventState.HOLDING);

        GridEventView longer =
                book.edit(id, patch("{\"end\": \"" + at(5400) + "\"}"), at(400)).orElseThrow();
        assertThat(longer.state()).isEqualTo(GridEventState.HOLDING);
        assertThat(longer.event().reachedTargetAt()).isEqualTo(at(200));

        assertThatThrownBy(() -> book.edit(id, patch("{\"target_kw\": 500}"), at(400)))
                .isInstanceOf(GridEventException.class)
                .hasMessage("target_kw: the deadline passed at " + at(360)
                        + "; the compliance verdict stands on what was asked by then (the end may still change)");
        assertThat(reason(() -> edit(id, "{\"ramp_seconds\": 900}", at(400))))
                .isEqualTo(GridEventException.Reason.UNEDITABLE);
        assertThat(reason(() -> edit(id, "{\"priority\": \"emergency\"}", at(400))))
                .isEqualTo(GridEventException.Reason.UNEDITABLE);
        assertThat(view(id).targetKw()).isEqualTo(600);
    }

    @Test
    void theStart_onlyWhilePending_andNotIntoThePast() throws Exception {
        String id = pending();

        assertThat(book.edit(id, patch("{\"start\": \"" + at(120) + "\"}"), at(30))
                        .orElseThrow()
                        .event()
                        .start())
                .isEqualTo(at(120));
        assertThatThrownBy(() -> book.edit(id, patch("{\"start\": \"" + at(10) + "\"}"), at(30)))
                .hasMessage("start: must not be in the past (now is " + at(30) + "), got " + at(10));
        book.observe(at(120), 1000, true, false);
        assertThatThrownBy(() -> book.edit(id, patch("{\"start\": \"" + at(900) + "\"}"), at(130)))
                .hasMessage(
                        "start: the event started at " + at(120) + "; its start can change only while it is pending");
    }

    @Test
    void aShorterRamp_whoseDeadlineWouldBePast_400() throws Exception {
        String id = pending();
        book.observe(at(60), 1000, true, false);

        assertThatThrownBy(() -> book.edit(id, patch("{\"ramp_seconds\": 30}"), at(120)))
                .hasMessage("ramp_seconds: the deadline would be start + 30 s = " + at(90) + ", already past (now is "
                        + at(120) + ")");
        assertThat(book.edit(id, patch("{\"ramp_seconds\": 600}"), at(120))
                        .orElseThrow()
                        .event()
                        .deadline())
                .isEqualTo(at(660));
    }

    @Test
    void anEndedEvent_409() throws Exception {
        String over = pending();
        book.cancel(over, "olga", at(10));
        assertThatThrownBy(() -> book.edit(over, patch("{\"target_kw\": 500}"), at(20)))
                .hasMessage("grid event " + over + " is cancelled; an event that is over cannot be edited");

        String restoring = book.submit(GridEventBookTest.target(600, 0, 100, "r2"), "olga", T0)
                .event()
                .id();
        book.observe(at(100), 1000, true, true);
        assertThat(view(restoring).state()).isEqualTo(GridEventState.RESTORING);
        assertThat(reason(() -> edit(restoring, "{\"end\": \"" + at(900) + "\"}", at(101))))
                .isEqualTo(GridEventException.Reason.UNEDITABLE);
    }

    @Test
    void eachField_validatedAsOnCreate_400_namingIt() throws Exception {
        String id = pending();
        List<String> problems = new ArrayList<>();
        for (String body : List.of(
                "{\"target_kw\": -5}",
                "{\"reduce_percent\": 130}",
                "{\"target_kw\": \"many\"}",
                "{\"end\": \"tomorrow\"}",
                "{\"end\": \"" + at(30) + "\"}",
                "{\"ramp_seconds\": 1.5}",
                "{\"ramp_seconds\": 7200}",
                "{\"priority\": \"urgent\"}",
                "{\"source\": \"x\"}",
                "{\"reference\": \"x\"}",
                "{\"colour\": \"red\"}",
                "{\"end\": null}",
                "{\"target_kw\": 5, \"reduce_kw\": 5}",
                "{}",
                "[]")) {
            try {
                book.edit(id, patch(body), T0);
                problems.add(body + " accepted");
            } catch (GridEventException e) {
                assertThat(e.reason()).as(body).isEqualTo(GridEventException.Reason.INVALID);
                problems.add(e.problems().get(0).split(":")[0]);
            }
        }
        assertThat(problems)
                .containsExactly(
                        "target_kw",
                        "reduce_percent",
                        "target_kw",
                        "end",
                        "end",
                        "ramp_seconds",
                        "ramp_seconds",
                        "priority",
                        "source",
                        "reference",
                        "colour",
                        "end",
                        "target_kw, reduce_kw, reduce_percent",
                        "body",
                        "body");
        assertThat(view(id).event().revision()).isEqualTo(1);
        assertThat(book.edit("no-such-event", patch("{\"target_kw\": 5}"), T0)).isEmpty();
    }

    @Test
    void theList_carriesABoundedChartOfOpenEvents_only() {
        String id = book.submit(GridEventBookTest.target(600, 60, 36_000, "long"), "olga", T0)
                .event()
                .id();
        for (int i = 0; i < 1000; i++) {
            book.observe(at(60 + 5L * i), i == 500 ? 2000 : 1000, true, false);
        }
        List<ComplianceSample> samples = view(id).compliance();
        assertThat(samples).hasSize(1000);

        List<ComplianceSample> chart = book.list().get(0).chart();
        assertThat(chart).hasSize(334).hasSizeLessThanOrEqualTo(ComplianceChart.MAX_POINTS);
        assertThat(chart.get(0)).isEqualTo(samples.get(0));
        assertThat(chart)
                .as("a peak is never thinned away")
                .anySatisfy(p -> assertThat(p.siteLoadKw()).isEqualTo(2000));
        assertThat(book.list().get(0).toJson(JSON).get("chart")).hasSize(334);

        book.cancel(id, "olga", at(6000));
        assertThat(book.list().get(0).chart()).isNull();
        assertThat(book.list().get(0).toJson(JSON).has("chart")).isFalse();
    }

    private void edit(String id, String body, Instant now) {
        try {
            book.edit(id, patch(body), now);
        } catch (GridEventException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
