package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.journal.JournalRecord;
import io.headroom.controller.site.SiteModel;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds what the engine remembered from the journal after a restart (kill -9 included): for
 * every device whose latest intent was not released, its curtailment and its last command, in the
 * state the journal last saw it. A command journaled as dispatched is in flight again (its late
 * result is matched, its effect is confirmed from telemetry or it drifts and is retried); an intent
 * that was never sent counts as failed, so its limit is shed anew instead of being counted as done.
 * Restores wait until every such device has been read back (or the reconcile window has passed):
 * nothing the engine sends after a restart contradicts what it sent before.
 */
public final class EngineRecovery {

    private static final Logger LOGGER = LoggerFactory.getLogger(EngineRecovery.class);

    /** A command the controller sent before it stopped, for the command service to track again. */
    public record SentCommand(
            String commandId,
            String deviceId,
            String agentId,
            Verb verb,
            @Nullable Double value,
            String instance,
            long version,
            Instant issuedAt,
            Duration ttl) {}

    /**
     * What was recovered.
     *
     * @param state the engine's state, restores held until {@code reconcileUntil}
     * @param commands commands still possibly in flight
     * @param devices devices the journal names, to be read back before restoring
     */
    public record Recovered(EngineState state, List<SentCommand> commands, List<String> devices) {}

    private EngineRecovery() {}

    /**
     * @param reconcileFor how long restores wait at most for the devices to be read back
     */
    public static Recovered replay(SiteModel model, List<JournalRecord> records, Instant now, Duration reconcileFor) {
        Map<String, JournalRecord> intents = new LinkedHashMap<>();
        Map<String, JournalRecord> dispatches = new LinkedHashMap<>();
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (JournalRecord record : records) {
            String device = text(record.body(), "device");
            if (device == null) {
                continue;
            }
            switch (record.type()) {
                case EngineJournalFile.INTENT -> {
                    intents.put(device, record);
                    dispatches.remove(device);
                    outcomes.remove(device);
                }
                case EngineJournalFile.DISPATCHED -> dispatches.put(device, record);
                case EngineJournalFile.OUTCOME -> outcomes.put(device, String.valueOf(text(record.body(), "outcome")));
                case EngineJournalFile.RELEASED -> {
                    intents.remove(device);
                    dispatches.remove(device);
                    outcomes.remove(device);
                }
                default -> {}
            }
        }
        EngineState state = new EngineState(model);
        List<SentCommand> commands = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        for (var entry : intents.entrySet()) {
            DeviceControl control = state.control(entry.getKey());
            if (control == null) {
                LOGGER.warn(
                        "journal: device {} was curtailed before the restart but is no longer in the site model;"
                                + " it is left as it is",
                        entry.getKey());
                continue;
            }
            try {
                restore(
                        control,
                        entry.getValue(),
                        dispatches.get(entry.getKey()),
                        outcomes.get(entry.getKey()),
                        state,
                        commands);
                devices.add(entry.getKey());
            } catch (RuntimeException e) {
                LOGGER.error(
                        "journal: the intent of {} could not be read ({}); it is left to telemetry",
                        entry.getKey(),
                        e.toString());
            }
        }
        if (!devices.isEmpty()) {
            state.holdUntil(now.plus(reconcileFor).toEpochMilli());
            LOGGER.info(
                    "journal: {} devices curtailed before the restart, {} commands possibly in flight; restores wait"
                            + " until they are read back",
                    devices.size(),
                    commands.size());
        }
        return new Recovered(state, commands, devices);
    }

    private static void restore(
            DeviceControl control,
            JournalRecord intent,
            @Nullable JournalRecord dispatch,
            @Nullable String outcome,
            EngineState state,
            List<SentCommand> commands) {
        JsonNode body = intent.body();
        JsonNode c = body.path("control");
        control.curtailment = Curtailment.valueOf(c.path("curtailment").asText(Curtailment.NONE.name()));
        control.cappedW = number(c, "capped_w");
        control.beforeKw = number(c, "before_kw");
        control.beforeTargetW = number(c, "before_target_w");
        control.curtailedAtMillis =
                c.has("curtailed_at") ? c.get("curtailed_at").asLong() : intent.atMillis();
        control.knownEfficiencyJth = number(c, "efficiency_jth");
        control.eventId = text(c, "event");
        control.lastAction = ActionKind.valueOf(body.path("action").asText());
        control.restoring = body.path("restore").asBoolean();
        control.expectedKw = body.path("expected_kw").asDouble(Double.NaN);
        control.lastCommandAtMillis = intent.atMillis();
        control.dispatchedAtMillis = intent.atMillis();
        String commandId =
                dispatch == null ? "" : dispatch.body().path("command_id").asText("");
        if (dispatch == null || commandId.isEmpty()) {
            // Decided, maybe never sent: do not count on it.
            control.intent = IntentState.FAILED;
            control.lastReason = dispatch == null ? "not sent before the controller stopped" : "refused";
            return;
        }
        JsonNode d = dispatch.body();
        control.intent = outcome == null
                ? IntentState.DISPATCHED
                : outcome.equals("applied") || outcome.equals("accepted") ? IntentState.ACKED : IntentState.FAILED;
        control.refusedByAnswer = "failed".equals(outcome) || "rejected".equals(outcome);
        control.dispatchedAtMillis = dispatch.atMillis();
        state.dispatched(control, commandId, d.path("version").asLong());
        if (outcome == null) {
            commands.add(new SentCommand(
                    commandId,
                    d.path("target_device").asText(),
                    d.path("agent").asText(),
                    Verb.valueOf(d.path("verb").asText()),
                    d.has("value_w") ? d.get("value_w").asDouble() : null,
                    d.path("instance").asText(""),
                    d.path("version").asLong(),
                    Instant.ofEpochMilli(dispatch.atMillis()),
                    Duration.ofMillis(d.path("ttl_ms").asLong(30_000))));
        }
    }

    private static double number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }

    private static @Nullable String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
