package io.headroom.controller.ingest;

import io.headroom.controller.store.AgentClock;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.SampleBatch;
import io.headroom.protocol.DataFrame;
import io.headroom.protocol.Topic;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What ingest knows about one agent: its connection, its current birth (boot, session, devices,
 * aliases) and which seqs it has taken in. Every field but {@link #connected} is guarded by the
 * session's own monitor.
 */
final class AgentSession {

    /** Earlier boots remembered for deduplicating their replays. */
    static final int MAX_EARLIER_BOOTS = 8;

    final String agentId;
    final Topic ackTopic;

    /** Read without the lock by other agents' births (device ownership checks). */
    volatile boolean connected;

    boolean awaitingBirth = true;
    /** 0 until the first birth. */
    long bootId;

    long session;
    final SequenceWindow window = new SequenceWindow();
    /**
     * What was taken in of this agent's earlier boots, whose records its outbox may still replay as
     * history after a restart; the newest few boots, oldest first.
     */
    final Map<Long, SequenceWindow> earlierBoots = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SequenceWindow> eldest) {
            return size() > MAX_EARLIER_BOOTS;
        }
    };

    AliasTable aliases = AliasTable.EMPTY;
    List<DeviceRecord> devices = List.of();
    Map<String, DeviceRecord> devicesById = Map.of();
    long lastRebirthRequestMillis = Long.MIN_VALUE;
    /** The agent's clock offset, shared with its device records for the API. */
    final AgentClock clock = new AgentClock();
    /** Reused for each device's samples of a Data message (no allocation per message). */
    /** The Data being taken in, decoded into columns reused from one message to the next (D63). */
    final DataFrame frame = new DataFrame();

    final SampleBatch batch = new SampleBatch();
    /** Samples of the Data being applied, by {@code SampleOutcome} ordinal; reused like {@link #batch}. */
    final int[] tally = new int[IngestMetrics.SampleOutcome.values().length];
    /** Problems already logged once for this agent. */
    final Set<String> warned = new HashSet<>();

    AgentSession(String agentId, Topic ackTopic) {
        this.agentId = agentId;
        this.ackTopic = ackTopic;
    }

    /** True the first time a problem key is seen, so it is logged once. */
    boolean firstWarning(String key) {
        return warned.size() < 1000 && warned.add(key);
    }
}
