package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The engine's recent decisions, newest last, at most {@link #CAPACITY}. Thread-safe. */
public final class DecisionLog {

    public static final int CAPACITY = 2_000;

    private final ArrayDeque<Decision> decisions = new ArrayDeque<>();

    public synchronized void add(Decision decision) {
        decisions.addLast(decision);
        while (decisions.size() > CAPACITY) {
            decisions.removeFirst();
        }
    }

    /** The newest {@code limit} decisions, newest first. */
    public synchronized List<Decision> recent(int limit) {
        List<Decision> list = new ArrayList<>(Math.min(limit, decisions.size()));
        Iterator<Decision> newest = decisions.descendingIterator();
        while (newest.hasNext() && list.size() < limit) {
            list.add(newest.next());
        }
        return list;
    }

    /** {@code GET /api/v1/decisions}: the newest {@code limit}, newest first. */
    public ArrayNode toJson(ObjectMapper mapper, int limit) {
        ArrayNode array = mapper.createArrayNode();
        for (Decision decision : recent(limit)) {
            array.add(toJson(mapper, decision));
        }
        return array;
    }

    /**
     * The decisions among the newest {@code limit} that are about {@code deviceId}: its own, and those
     * sent to it for one of its outlets (a PDU's {@code target_device}); newest first. What the device
     * page lists from {@code GET /api/v1/decisions?limit=500}.
     */
    public ArrayNode toJsonAbout(ObjectMapper mapper, String deviceId, int limit) {
        ArrayNode array = mapper.createArrayNode();
        for (Decision decision : recent(limit)) {
            Action action = decision.action();
            if (action.deviceId().equals(deviceId)
                    || (!action.instance().isEmpty() && action.targetDeviceId().equals(deviceId))) {
                array.add(toJson(mapper, decision));
            }
        }
        return array;
    }

    static ObjectNode toJson(ObjectMapper mapper, Decision decision) {
        Action action = decision.action();
        ObjectNode node = mapper.createObjectNode();
        node.put("at", decision.at().toString());
        node.put("device", action.deviceId());
        node.put("action", action.kind().wireName());
        if (!Double.isNaN(action.valueW())) {
            node.put("value_w", action.valueW());
        }
        if (!action.instance().isEmpty()) {
            node.put("target_device", action.targetDeviceId());
            node.put("instance", action.instance());
        }
        node.put("expected_kw", round(action.expectedKw()));
        node.put("restore", action.restore());
        ObjectNode constraint = node.putObject("constraint");
        constraint.put("node", action.constraint().nodeId());
        constraint.put("kind", action.constraint().nodeKind());
        constraint.put("limit", action.constraint().kind().wireName());
        constraint.put("load_kw", round(action.constraint().loadKw()));
        constraint.put("limit_kw", round(action.constraint().limitKw()));
        if (action.eventId() != null) {
            node.put("event", action.eventId());
        }
        node.put("reason", action.reason());
        node.put("dispatched", decision.dispatched());
        if (decision.commandId() != null) {
            node.put("command_id", decision.commandId());
        }
        if (!decision.refusal().isEmpty()) {
            node.put("refusal", decision.refusal());
        }
        return node;
    }

    private static double round(double kw) {
        return Math.round(kw * 1000) / 1000.0;
    }
}
