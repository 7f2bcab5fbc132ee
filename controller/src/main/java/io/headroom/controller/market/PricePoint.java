package io.headroom.controller.market;

import java.time.Instant;
import java.util.Objects;

/**
 * One price from a series: {@code value} (in its input's unit) holds from {@code at} until the next
 * point. Only finite values exist: NaN and infinities are refused at the edge, by the adapters.
 *
 * @param at when this price starts to apply
 * @param value the price; negative energy prices are real and allowed
 */
public record PricePoint(Instant at, double value) {
    public PricePoint {
        Objects.requireNonNull(at, "at");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value: " + value + " is not a finite number");
        }
    }
}
