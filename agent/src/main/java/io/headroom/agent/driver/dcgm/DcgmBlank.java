package io.headroom.agent.driver.dcgm;

/**
 * DCGM's "blank" sentinels: values DCGM reports for a field it has no reading of (not supported,
 * not found, not permitted, not yet sampled). dcgm-exporter prints them as they are, e.g.
 * {@code DCGM_FI_DEV_MEMORY_TEMP{…} 9223372036854775794} in its README (DEVICES.md §4.11). A
 * sentinel is no value, never a reading of 9.2e18 °C.
 *
 * <ul>
 *   <li>int64 fields: {@code 0x7ffffffffffffff0} (9223372036854775792) and the three after it; as a
 *       double every value this large is the sentinel, since no DCGM field reaches it;
 *   <li>int32 fields: {@code 0x7ffffff0} (2147483632) to 2147483635, exact; not applied to
 *       counters (an energy counter in mJ passes 2^31 after 600 Wh and may hold these values);
 *   <li>fp64 fields: {@code 2^47} (140737488355328.0) to 2^47 + 3, exact.
 * </ul>
 */
final class DcgmBlank {

    private static final double INT64_BLANK = 9223372036854775792d;
    private static final long INT32_BLANK = 0x7ffffff0L;
    private static final double FP64_BLANK = 140737488355328.0;

    private DcgmBlank() {}

    /**
     * @param value the sample's value
     * @param counter whether the sample's family is typed counter
     */
    static boolean isBlank(double value, boolean counter) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (value >= INT64_BLANK) {
            return true;
        }
        for (int k = 0; k <= 3; k++) {
            if (value == FP64_BLANK + k) {
                return true;
            }
        }
        return !counter && value >= INT32_BLANK && value <= INT32_BLANK + 3 && value == Math.rint(value);
    }
}
