package io.headroom.controller.market;

/** A price file or reply that cannot be read, with where and what: {@code prices.csv:12: value 'x' is not a number}. */
public final class PriceDataException extends Exception {
    private static final long serialVersionUID = 1L;

    public PriceDataException(String message) {
        super(message);
    }

    public PriceDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
