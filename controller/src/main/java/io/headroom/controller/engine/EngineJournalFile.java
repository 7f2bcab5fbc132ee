package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.journal.Journal;
import io.headroom.controller.journal.JournalEntry;
import io.headroom.controller.journal.JournalRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's records in the controller's {@link Journal}: an {@code intent} per decision (with the
 * device's control state after it) written before the command goes out, a {@code dispatched} record
 * with the command id and version (or the refusal), an {@code outcome} per final result and a
 * {@code released} record when a restore took effect, and a {@code market} record whenever the
 * market's strike state changed (the latest one is live). What is still live (the latest intent and
 * dispatch of every device the engine holds) is tracked here, so the journal can be compacted to it.
 * Called from the engine loop only.
 */
public final class EngineJournalFile implements EngineJournal {

    static final String INTENT = "intent";
    static final String DISPATCHED = "dispatched";
    static final String OUTCOME = "outcome";
    static final String RELEASED = "released";
    public static final String GRID_EVENT = "grid-event";
    public static final String RESERVATION = "reservation";
    public static final String MARKET = "market";

    private final Journal journal;
    private final ObjectMapper mapper = new ObjectMapper();
    private final long ttlMillis;
    /** By device: its live intent and, once sent, its dispatch record. */
    private final Map<String, List<JournalRecord>> live = new LinkedHashMap<>();
    /** By event id: its latest record. */
    private final Map<String, JournalRecord> events = new LinkedHashMap<>();
    /** The latest market state record, if any. */
    private @org.jspecify.annotations.Nullable JournalRecord market;

    /**
     * @param replayed what the journal held at open: the live part is kept for compaction
     * @param commandTtl the engine's command ttl, recorded with each dispatch
     */
    public EngineJournalFile(Journal journal, List<JournalRecord> replayed, java.time.Duration commandTtl) {
        this.ttlMillis = commandTtl.toMillis();
        this.journal = Objects.requireNonNull(journal, "journal");
        for (JournalRecord record : replayed) {
            track(record);
        }
    }

    @Override
    public synchronized void intents(List<Action> actions, EngineState state, Instant at) throws IOException {
        List<JournalEntry> entries = new ArrayList<>(actions.size());
        for (Action action : actions) {
            entries.add(new JournalEntry(INTENT, intent(action, state)));
        }
        List<Long> seqs = journal.appendAll(entries);
        for (int i = 0; i < entries.size(); i++) {
            track(new JournalRecord(
                    seqs.get(i), INTENT, at.toEpochMilli(), entries.get(i).body()));
        }
    }

    @Override
    public synchronized void dispatched(Action action, String commandId, String agentId, long version, Instant at)
            throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("device", action.deviceId());
        body.put("command_id", commandId);
        body.put("agent", agentId);
        body.put("ttl_ms", ttlMillis);
        body.put("version", version);
        body.put("target_device", action.targetDeviceId());
        body.put("verb", action.verb().name());
        if (!Double.isNaN(action.valueW())) {
            body.put("value_w", action.valueW());
        }
        body.put("instance", action.instance());
        long seq = journal.append(DISPATCHED, body);
        track(new JournalRecord(seq, DISPATCHED, at.toEpochMilli(), body));
    }

    @Override
    public synchronized void outcome(String deviceId, String commandId, String outcome, String reason)
            throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("device", deviceId);
        body.put("command_id", commandId);
        body.put("outcome", outcome);
        body.put("reason", reason);
        journal.append(OUTCOME, body);
    }

    @Override
    public synchronized void released(String deviceId) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("device", deviceId);
        journal.append(RELEASED, body);
        live.remove(deviceId);
    }

    /** Rewrites the journal to what is still live, when it has grown past its size. */
    public synchronized void compactIfDue() throws IOException {
        if (!journal.compactionDue()) {
            return;
        }
        List<JournalRecord> keep = new ArrayList<>(events.values());
        live.values().forEach(keep::addAll);
        if (market != null) {
            keep.add(market);
        }
        keep.sort(java.util.Comparator.comparingLong(JournalRecord::seq));
        journal.compact(keep);
    }

    /** A grid event changed (the book's listener): its record, kept live for compaction. */
    public synchronized void gridEvent(ObjectNode body, Instant at) throws IOException {
        long seq = journal.append(GRID_EVENT, body);
        track(new JournalRecord(seq, GRID_EVENT, at.toEpochMilli(), body));
    }

    /** A reservation changed (the book's listener): its record, kept live for compaction. */
    public synchronized void reservation(ObjectNode body, Instant at) throws IOException {
        long seq = journal.append(RESERVATION, body);
        track(new JournalRecord(seq, RESERVATION, at.toEpochMilli(), body));
    }

    @Override
    public synchronized void market(io.headroom.controller.market.MarketState state, Instant at) throws IOException {
        ObjectNode body = io.headroom.controller.market.MarketStateJson.toJson(state);
        long seq = journal.append(MARKET, body);
        track(new JournalRecord(seq, MARKET, at.toEpochMilli(), body));
    }

    /**
     * The market's strike state as the latest {@code market} record has it, for the market to resume
     * from; the initial state when there is none, or when it cannot be read (logged: the market then
     * starts afresh, and its dwell counts again from zero).
     */
    public static io.headroom.controller.market.MarketState marketState(List<JournalRecord> replayed) {
        JournalRecord latest = null;
        for (JournalRecord record : replayed) {
            if (record.type().equals(MARKET)) {
                latest = record;
            }
        }
        if (latest == null) {
            return io.headroom.controller.market.MarketState.initial();
        }
        try {
            return io.headroom.controller.market.MarketStateJson.fromJson(latest.body());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(EngineJournalFile.class)
                    .error(
                            "journal: market record {} could not be read ({}); the market starts afresh",
                            latest.seq(),
                            e.toString());
            return io.headroom.controller.market.MarketState.initial();
        }
    }

    private void track(JournalRecord record) {
        if (record.type().equals(MARKET)) {
            market = record;
            return;
        }
        if (record.type().equals(GRID_EVENT) || record.type().equals(RESERVATION)) {
            JsonNode id = record.body().get("id");
            if (id != null) {
                // Reservation ids carry their own prefix, so the two kinds never share a key.
                events.put(id.asText(), record);
            }
            return;
        }
        JsonNode device = record.body().get("device");
        if (device == null) {
            return;
        }
        switch (record.type()) {
            case INTENT -> live.put(device.asText(), new ArrayList<>(List.of(record)));
            case DISPATCHED ->
                live.computeIfAbsent(device.asText(), k -> new ArrayList<>()).add(record);
            case RELEASED -> live.remove(device.asText());
            default -> {}
        }
    }

    private ObjectNode intent(Action action, EngineState state) {
        ObjectNode body = mapper.createObjectNode();
        body.put("device", action.deviceId());
        body.put("action", action.kind().name());
        body.put("restore", action.restore());
        body.put("verb", action.verb().name());
        if (!Double.isNaN(action.valueW())) {
            body.put("value_w", action.valueW());
        }
        body.put("target_device", action.targetDeviceId());
        body.put("instance", action.instance());
        body.put("expected_kw", action.expectedKw());
        if (action.eventId() != null) {
            body.put("event", action.eventId());
        }
        body.put("reason", action.reason());
        ObjectNode constraint = body.putObject("constraint");
        constraint.put("node", action.constraint().nodeId());
        constraint.put("node_kind", action.constraint().nodeKind());
        constraint.put("kind", action.constraint().kind().name());
        constraint.put("load_kw", action.constraint().loadKw());
        constraint.put("limit_kw", action.constraint().limitKw());
        DeviceControl control = state.control(action.deviceId());
        if (control != null) {
            ObjectNode c = body.putObject("control");
            c.put("curtailment", control.curtailment.name());
            putNumber(c, "capped_w", control.cappedW);
            putNumber(c, "before_kw", control.beforeKw);
            putNumber(c, "before_target_w", control.beforeTargetW);
            c.put("curtailed_at", control.curtailedAtMillis);
            putNumber(c, "efficiency_jth", control.knownEfficiencyJth);
            if (control.eventId != null) {
                c.put("event", control.eventId);
            }
        }
        return body;
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (!Double.isNaN(value)) {
            node.put(key, value);
        }
    }
}
