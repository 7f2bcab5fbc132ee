package io.headroom.controller.history;

/**
 * How far a bucket's max lies above its mean, in steps of the slot's 12-bit scale (0 to 4,094), in one
 * byte (D62): a small float of 3 exponent and 5 mantissa bits below an exact range. Distances under 64
 * steps are kept exactly; larger ones are rounded up to 1/32 of themselves at most, so a stored max is
 * never below the largest sample (beyond the scale's own half step) and a peak is never shaved: every
 * limit Headroom holds is an upper one.
 *
 * <p>Codes 0..63 are the distance itself; code {@code 64 + 32 * (s - 1) + (m - 32)} is {@code m << s}
 * for a mantissa {@code m} of 32..63 and a shift {@code s} of 1..6; code 255, which would be
 * {@code 63 << 6 = 4,032}, stands for "to the top of the scale" so that the largest distances, up to
 * 4,094, still round up.
 */
final class Excess {
    /** Distances below this are their own code. */
    private static final int EXACT = 64;

    private static final int MANTISSA = 32;
    private static final int TOP = 255;
    /** What code {@link #TOP} decodes to: at least any distance on a 12-bit scale. */
    private static final int TOP_DISTANCE = 4_095;

    private Excess() {}

    /** The code of a distance of {@code steps} (0 or more), rounded up. */
    static int encode(int steps) {
        if (steps < EXACT) {
            return Math.max(0, steps);
        }
        // steps >> shift lies in 32..63; the shift is at least 1 since steps >= 64.
        int shift = 31 - Integer.numberOfLeadingZeros(steps) - 5;
        int mantissa = (steps + (1 << shift) - 1) >> shift; // rounded up: 32..64
        if (mantissa == 2 * MANTISSA) {
            shift++;
            mantissa = MANTISSA;
        }
        int code = EXACT + MANTISSA * (shift - 1) + (mantissa - MANTISSA);
        return Math.min(TOP, code);
    }

    /** The distance a code stands for: never less than what was encoded. */
    static int decode(int code) {
        if (code < EXACT) {
            return code;
        }
        if (code >= TOP) {
            return TOP_DISTANCE;
        }
        int shift = (code - EXACT) / MANTISSA + 1;
        int mantissa = MANTISSA + (code - EXACT) % MANTISSA;
        return mantissa << shift;
    }
}
