package io.headroom.controller.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A grid event as the API shows it: the {@link GridEventRecord} and, for {@code GET
 * /api/v1/grid-events/{id}}, the devices acted on and the compliance samples.
 *
 * @param event the event's state
 * @param devices the devices the engine acted on, first action each; empty unless {@code detailed}
 * @param compliance the metered site load against the target over time; empty unless {@code detailed}
 * @param detailed whether {@link #toJson} writes {@code devices} and {@code compliance}
 * @param chart the bounded series of an open event's chart ({@link ComplianceChart}); null for none
 */
public record GridEventView(
        GridEventRecord event,
        List<DeviceAction> devices,
        List<ComplianceSample> compliance,
        boolean detailed,
        @Nullable List<ComplianceSample> chart) {

    public GridEventView {
        Objects.requireNonNull(event, "event");
        devices = List.copyOf(devices);
        compliance = List.copyOf(compliance);
        chart = chart == null ? null : List.copyOf(chart);
    }

    /** A view without a chart. */
    public GridEventView(
            GridEventRecord event, List<DeviceAction> devices, List<ComplianceSample> compliance, boolean detailed) {
        this(event, devices, compliance, detailed, null);
    }

    public String id() {
        return event.id();
    }

    public GridEventState state() {
        return event.state();
    }

    /** The final target; null while a reduction waits for its baseline. */
    public @Nullable Double targetKw() {
        return event.finalTargetKw();
    }

    /** The JSON the API answers (snake_case; unknown values as null). */
    public ObjectNode toJson(ObjectMapper mapper) {
        GridEventRecord e = event;
        ObjectNode node = mapper.createObjectNode();
        node.put("id", e.id());
        node.put("reference", e.reference());
        node.put("source", e.source());
        node.put("priority", e.priority().wireName());
        node.put("state", e.state().wireName());
        node.put("revision", e.revision());
        node.put("target_kw", round(e.finalTargetKw()));
        node.putObject("requested").put(e.target().kind().field(), e.target().value());
        node.put("baseline_kw", round(e.baselineKw()));
        node.put("start", e.start().toString());
        node.put("end", e.end().toString());
        node.put("deadline", e.deadline().toString());
        node.put("ramp_seconds", e.rampSeconds());
        node.put("site_load_kw", round(e.siteLoadKw()));
        Boolean metered = e.siteLoadMetered();
        node.put("site_load_source", metered == null ? null : metered ? "metered" : "unmetered");
        node.put("min_load_kw", round(e.minLoadKw()));
        node.put("max_load_kw", round(e.maxLoadKw()));
        node.put("reached_target_at", text(e.reachedTargetAt()));
        node.put("time_to_target_seconds", e.timeToTargetSeconds());
        node.put("created_by", e.createdBy());
        node.put("created_at", e.createdAt().toString());
        node.put("updated_at", e.updatedAt().toString());
        node.put("cancelled_at", text(e.cancelledAt()));
        node.put("cancelled_by", e.cancelledBy());
        node.put("devices_acted_on", e.devicesActedOn());
        if (detailed) {
            ArrayNode list = node.putArray("devices");
            for (DeviceAction action : devices) {
                list.addObject()
                        .put("device", action.deviceId())
                        .put("action", action.action())
                        .put("at", action.at().toString());
            }
            put(node.putArray("compliance"), compliance);
        }
        List<ComplianceSample> points = chart;
        if (points != null) {
            put(node.putArray("chart"), points);
        }
        return node;
    }

    private static void put(ArrayNode array, List<ComplianceSample> samples) {
        for (ComplianceSample sample : samples) {
            array.addObject()
                    .put("at", sample.at().toString())
                    .put("site_load_kw", round(sample.siteLoadKw()))
                    .put("target_kw", round(sample.targetKw()))
                    .put("metered", sample.metered());
        }
    }

    private static @Nullable String text(@Nullable Instant at) {
        return at == null ? null : at.toString();
    }

    /** Watts are what meters resolve; more digits of kW are noise. */
    private static @Nullable Double round(@Nullable Double kw) {
        return kw == null ? null : Math.round(kw * 1000) / 1000.0;
    }
}
