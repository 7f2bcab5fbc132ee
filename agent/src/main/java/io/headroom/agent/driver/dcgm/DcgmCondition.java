package io.headroom.agent.driver.dcgm;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.regex.Pattern;

/**
 * A field whose value makes the device DEGRADED ({@code points.degraded-when} of a dcgm profile):
 * a recent XID error, a clocks-event (throttle) bit that means heat or a hardware brake.
 *
 * @param name the exposition's metric name, e.g. {@code DCGM_FI_DEV_XID_ERRORS}
 * @param mask bits of the (integer) value that count; 0 counts any value other than 0
 * @param reason the poll's reason while the condition holds on some GPU
 */
public record DcgmCondition(
        @Doc("Metric name in the exposition, e.g. DCGM_FI_DEV_XID_ERRORS.")
        String name,

        @Doc("Bits of the value that count; 0 counts any non-zero value.") @Default("0")
        long mask,

        @Doc("Reason of the DEGRADED poll while the condition holds, e.g. gpu-xid-error.")
        String reason) {

    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9-]*");

    public DcgmCondition {
        if (!REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("reason: '" + reason + "' must be [a-z][a-z0-9-]*");
        }
    }

    /** Whether a (non-blank, finite) value meets the condition. */
    boolean holds(double value) {
        if (!Double.isFinite(value)) {
            return false;
        }
        long bits = (long) value;
        return mask == 0 ? value != 0 : (bits & mask) != 0;
    }
}
