package io.headroom.agent.driver.modbus;

/** How the registers of one point hold its value: width in registers, signedness, integer or IEEE-754. */
public enum ValueType {
    /** One coil or discrete input: 0 or 1. */
    BOOL(0),
    INT16(1),
    UINT16(1),
    INT32(2),
    UINT32(2),
    INT64(4),
    UINT64(4),
    FLOAT32(2),
    FLOAT64(4);

    private final int words;

    ValueType(int words) {
        this.words = words;
    }

    /** Registers the value takes; 0 for a bit. */
    public int words() {
        return words;
    }

    /** IEEE-754 types: a NaN or an infinity is a gap, never a value. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /**
     * The number {@code raw} stands for; {@code raw} holds the value's bits big-endian in its low
     * {@code 16 × words} bits (as {@link WordOrder#assemble} gives them).
     */
    public double decode(long raw) {
        return switch (this) {
            case BOOL, UINT16, UINT32 -> raw;
            case INT16 -> (short) raw;
            case INT32 -> (int) raw;
            case INT64 -> raw;
            case UINT64 -> raw >= 0 ? raw : (raw >>> 1) * 2.0 + (raw & 1);
            case FLOAT32 -> Float.intBitsToFloat((int) raw);
            case FLOAT64 -> Double.longBitsToDouble(raw);
        };
    }

    /**
     * The raw bits of a number, for a write: the integer types only, and only a value they can hold.
     *
     * @throws IllegalArgumentException naming the value and the type's range
     */
    public long encode(long value) {
        long min;
        long max;
        switch (this) {
            case BOOL -> {
                min = 0;
                max = 1;
            }
            case INT16 -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case UINT16 -> {
                min = 0;
                max = 0xFFFF;
            }
            case INT32 -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            case UINT32 -> {
                min = 0;
                max = 0xFFFF_FFFFL;
            }
            default -> throw new IllegalArgumentException("type: " + spelling() + " points cannot be written");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " does not fit a " + spelling() + " (" + min + ".." + max + ")");
        }
        return words == 0 ? value : value & mask();
    }

    /** All ones in the value's width. */
    public long mask() {
        return words >= 4 ? -1L : (1L << (16 * Math.max(words, 1))) - 1;
    }

    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
