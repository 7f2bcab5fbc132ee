package io.headroom.controller.command;

import java.time.Instant;
import java.util.Objects;

/**
 * What a device last answered its agent's poll, as the agent sent it back for a
 * {@code read-last-reply} command: text, never interpreted.
 *
 * @param commandId the read-last-reply command that fetched it
 * @param deviceId whose reply it is
 * @param request what the poll asked, one request a line
 * @param reply the device's reply text (secrets redacted by the agent)
 * @param readAt agent wall clock when the reply was read
 * @param truncated the agent cut the text to fit its bound
 */
public record RawReplyView(
        String commandId, String deviceId, String request, String reply, Instant readAt, boolean truncated) {
    public RawReplyView {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(readAt, "readAt");
    }
}
