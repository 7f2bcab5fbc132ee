package io.headroom.agent.rawreply;

import java.util.Objects;

/**
 * What a device answered the last poll, as text: every request of that poll and every reply, in
 * order, at most {@link RawReplyRecorder#MAX_REPLY_BYTES} of reply in UTF-8.
 *
 * @param request what was asked, one request a line (an RPC command, {@code GET /path}, OIDs …)
 * @param reply what the device answered, byte for byte as far as it is text; one reply as it came,
 *     several each under a {@code ### request} line
 * @param readAtMs wall clock, Unix ms, when the last reply of the poll was read
 * @param truncated true when the poll's replies were longer than the bound and the rest was cut
 */
public record RawReply(String request, String reply, long readAtMs, boolean truncated) {
    public RawReply {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reply, "reply");
    }
}
