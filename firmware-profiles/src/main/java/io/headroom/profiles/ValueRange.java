package io.headroom.profiles;

/**
 * Inclusive bounds of a capability's value, in the capability's unit.
 *
 * @param min lowest value the device accepts
 * @param max highest value the device accepts
 */
public record ValueRange(double min, double max) {
    public ValueRange {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("min: bounds must be finite numbers");
        }
        if (min > max) {
            throw new IllegalArgumentException("min: " + min + " is above max " + max);
        }
    }

    public boolean contains(double value) {
        return value >= min && value <= max;
    }
}
