package io.headroom.protocol;

/**
 * Codes of the {@code mode} state metric. Explicit codes, never ordinals: they go on the wire.
 */
public enum Mode {
    /** Hashing / computing stopped on request; control board and fans still up. */
    SLEEP(0),
    /** Working at its normal setting. */
    NORMAL(1),
    /** Working at a reduced power setting. */
    LOW_POWER(2),
    /** Working above its normal setting. */
    HIGH_POWER(3);

    private final int code;

    Mode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the mode for a code, or {@code null} when the code is not defined. */
    public static Mode fromCode(int code) {
        for (Mode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        return null;
    }
}
