package io.headroom.controller.command;

import io.headroom.protocol.wire.Result;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The raw replies that {@code read-last-reply} commands brought back, by command id: the newest
 * {@link #KEPT} only (each up to 64 KiB of text), since they are fetched to be read at once and
 * copied into a bug report, not kept as history. Thread-safe.
 */
final class RawReplies {

    /** Raw replies kept: at most a few MiB. */
    static final int KEPT = 64;

    private final Map<String, RawReplyView> replies = new LinkedHashMap<>(KEPT * 2, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RawReplyView> eldest) {
            return size() > KEPT;
        }
    };

    /** Keeps the raw reply a result carries, if it carries one. */
    synchronized void take(Result result) {
        if (result.hasRawReply()) {
            replies.put(
                    result.getCommandId(),
                    new RawReplyView(
                            result.getCommandId(),
                            result.getDeviceId(),
                            result.getRawRequest(),
                            result.getRawReply(),
                            Instant.ofEpochMilli(result.getRawReadAtMs()),
                            result.getRawTruncated()));
        }
    }

    synchronized Optional<RawReplyView> get(String commandId) {
        return Optional.ofNullable(replies.get(commandId));
    }
}
