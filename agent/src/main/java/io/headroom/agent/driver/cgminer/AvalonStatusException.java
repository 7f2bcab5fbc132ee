package io.headroom.agent.driver.cgminer;

/**
 * An Avalon status string ({@code MM ID0}) that cannot be read: cut short ({@link #truncated()}) or not a
 * {@code Key[value]} list. The message names where.
 */
public final class AvalonStatusException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean truncated;

    AvalonStatusException(boolean truncated, String message) {
        super(message);
        this.truncated = truncated;
    }

    /** True when the string ends inside a key or a value (a truncated reply), false when it is malformed. */
    public boolean truncated() {
        return truncated;
    }
}
