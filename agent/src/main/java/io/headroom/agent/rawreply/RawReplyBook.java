package io.headroom.agent.rawreply;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's raw last replies, one {@link RawReplyRecorder} per device id. Thread-safe. */
public final class RawReplyBook {

    private final Clock clock;
    private final Map<String, RawReplyRecorder> recorders = new ConcurrentHashMap<>();

    /** @param clock when replies are read (the agent's wall clock) */
    public RawReplyBook(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The recorder of one device: the same instance for every caller with that id. */
    public RawReplyRecorder recorder(String deviceId) {
        return recorders.computeIfAbsent(deviceId, id -> new RawReplyRecorder(clock));
    }

    /** The last poll's raw replies of a device, if it has one. */
    public Optional<RawReply> last(String deviceId) {
        RawReplyRecorder recorder = recorders.get(deviceId);
        return recorder == null ? Optional.empty() : recorder.last();
    }
}
