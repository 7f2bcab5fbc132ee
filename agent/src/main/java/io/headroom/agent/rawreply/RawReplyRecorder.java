package io.headroom.agent.rawreply;

import io.headroom.protocol.RawReplyLimits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps one device's raw last poll: its transport tells it each request and what came back
 * ({@link #exchange}), the scheduler tells it where a poll begins and ends; the poll that ended
 * last is what {@link #last()} returns. Exchanges outside a poll (a command's write and read-back)
 * are not kept: the bug report is about what the device answers the agent's poll.
 *
 * <p>The replies of one poll are kept up to {@link #MAX_REPLY_BYTES} of UTF-8 in all; the rest is
 * cut and the poll marked truncated. Secrets are redacted ({@link Redaction}) before anything is
 * kept. The exchanges and the poll markers come from the device's lane, one thread at a time;
 * {@link #last()} may be read from any thread.
 */
public final class RawReplyRecorder {

    /** The most reply text one poll keeps, in UTF-8 bytes; fits a Result in an MQTT packet. */
    public static final int MAX_REPLY_BYTES = RawReplyLimits.MAX_REPLY_BYTES;

    /** The most request text one poll keeps, in UTF-8 bytes. */
    public static final int MAX_REQUEST_BYTES = RawReplyLimits.MAX_REQUEST_BYTES;

    /** Keeps nothing: for drivers built outside an agent. */
    public static final RawReplyRecorder NONE = new RawReplyRecorder(null);

    private final Clock clock;
    private final Object lock = new Object();
    private List<Exchange> current;
    private volatile RawReply last;

    /** @param clock when a reply was read; {@code null} only for {@link #NONE} */
    public RawReplyRecorder(Clock clock) {
        this.clock = clock;
    }

    /** A poll begins: what follows belongs to it. */
    public void pollStarted() {
        if (clock == null) {
            return;
        }
        synchronized (lock) {
            current = new ArrayList<>();
        }
    }

    /** The poll ended: if it asked the device anything, it becomes the last reply. */
    public void pollEnded() {
        if (clock == null) {
            return;
        }
        List<Exchange> done;
        synchronized (lock) {
            done = current;
            current = null;
        }
        if (done != null && !done.isEmpty()) {
            last = render(done);
        }
    }

    /**
     * The device answered {@code request} with {@code reply} (text as it came). Both are redacted
     * before they are kept.
     */
    public void exchange(String request, String reply) {
        add(request, reply, false);
    }

    /** {@code request} got no reply: {@code why} (a timeout, a refused connection) is kept in its place. */
    public void failed(String request, String why) {
        add(request, "(no reply: " + why + ")", true);
    }

    private void add(String request, String reply, boolean failure) {
        if (clock == null) {
            return;
        }
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reply, "reply");
        long at = clock.millis();
        if (reply.length() > MAX_REPLY_BYTES) {
            // Never redact megabytes only to cut them: one character past the bound still marks the cut.
            reply = reply.substring(0, MAX_REPLY_BYTES + 1);
        }
        synchronized (lock) {
            if (current != null) {
                current.add(new Exchange(Redaction.redact(request), failure ? reply : Redaction.redact(reply), at));
            }
        }
    }

    /** The raw replies of the poll that ended last, if one has asked the device anything yet. */
    public Optional<RawReply> last() {
        return Optional.ofNullable(last);
    }

    private static RawReply render(List<Exchange> exchanges) {
        StringBuilder request = new StringBuilder();
        for (Exchange exchange : exchanges) {
            if (request.length() > 0) {
                request.append('\n');
            }
            request.append(exchange.request);
        }
        StringBuilder reply = new StringBuilder();
        if (exchanges.size() == 1) {
            reply.append(exchanges.get(0).reply);
        } else {
            for (Exchange exchange : exchanges) {
                reply.append("### ").append(exchange.request).append('\n');
                reply.append(exchange.reply).append("\n\n");
            }
        }
        Cut replyCut = cut(reply.toString(), MAX_REPLY_BYTES);
        Cut requestCut = cut(request.toString(), MAX_REQUEST_BYTES);
        return new RawReply(
                requestCut.text,
                replyCut.text,
                exchanges.get(exchanges.size() - 1).readAtMs,
                replyCut.truncated || requestCut.truncated);
    }

    /** The longest prefix of {@code text} that is at most {@code maxBytes} of UTF-8, whole characters only. */
    static Cut cut(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return new Cut(text, false);
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // never split a character: back up to the start of the one that does not fit
        }
        return new Cut(new String(bytes, 0, end, StandardCharsets.UTF_8), true);
    }

    record Cut(String text, boolean truncated) {}

    private record Exchange(String request, String reply, long readAtMs) {}
}
