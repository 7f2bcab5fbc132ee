package io.headroom.controller.grid;

import java.util.Objects;

/**
 * What the event asks for, as it was asked: a site target, or a reduction from the site's load
 * when the event starts (its baseline).
 *
 * @param kind which of the three
 * @param value kW for {@code target_kw} and {@code reduce_kw}, percent for {@code reduce_percent}
 */
public record RequestedTarget(Kind kind, double value) {

    /** The three ways to ask. */
    public enum Kind {
        /** The site at or below {@code value} kW. */
        TARGET_KW("target_kw"),
        /** The site {@code value} kW below its baseline. */
        REDUCE_KW("reduce_kw"),
        /** The site {@code value} percent below its baseline. */
        REDUCE_PERCENT("reduce_percent");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The JSON field name. */
        public String field() {
            return field;
        }
    }

    public RequestedTarget {
        Objects.requireNonNull(kind, "kind");
        if (!Double.isFinite(value) || value <= 0 || (kind == Kind.REDUCE_PERCENT && value > 100)) {
            throw new IllegalArgumentException(kind.field() + ": out of range: " + value);
        }
    }

    /** Whether the final target depends on the baseline. */
    public boolean needsBaseline() {
        return kind != Kind.TARGET_KW;
    }

    /** The final target in kW, given the site's load when the event started. Never negative. */
    public double finalTargetKw(double baselineKw) {
        return switch (kind) {
            case TARGET_KW -> value;
            case REDUCE_KW -> Math.max(0, baselineKw - value);
            case REDUCE_PERCENT -> Math.max(0, baselineKw * (1 - value / 100));
        };
    }
}
