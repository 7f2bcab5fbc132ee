package io.headroom.agent.driver.redfish;

import io.headroom.config.Doc;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A row whose text at {@code path} contains {@code pattern} makes the device DEGRADED with
 * {@code reason} ({@code degraded-when} of a redfish table): a leak detector whose
 * {@code DetectorState} is {@code Warning} or {@code Critical}, a pump whose {@code Status.Health} is
 * {@code Critical}. The row's readings are kept (the leak is a reading too); the poll's message names
 * the row and what it showed. As {@code degraded-when} of a dcgm profile.
 *
 * @param path field path in the row, e.g. {@code DetectorState}
 * @param pattern regular expression the text there must contain, e.g. {@code ^(Warning|Critical)$}
 * @param reason the poll's reason while it holds, e.g. {@code leak-detected}
 */
public record RedfishAlarm(
        @Doc("Field path in the row, e.g. DetectorState.") String path,

        @Doc("Regular expression the text there must contain, e.g. ^(Warning|Critical)$.")
        String pattern,

        @Doc("Reason of the DEGRADED poll while it holds, e.g. leak-detected.")
        String reason) {

    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public RedfishAlarm {
        new RedfishCondition(path, pattern);
        Objects.requireNonNull(reason, "reason");
        if (!REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("reason: '" + reason + "' must be [a-z][a-z0-9-]{0,39}");
        }
    }

    /** The condition part. */
    RedfishCondition condition() {
        return new RedfishCondition(path, pattern);
    }
}
