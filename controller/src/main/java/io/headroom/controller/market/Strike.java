package io.headroom.controller.market;

import java.time.Instant;
import java.util.Objects;

/**
 * A model or a priority class the market says should not hash now.
 *
 * @param kind model (or device) or class
 * @param name the model's, device's or class's name
 * @param since when the strike began
 * @param reason the prices and break-even that caused it, e.g. {@code energy 142.0 USD/MWh above
 *     Antminer S19 break-even 118.3 + margin 5.0 for 3 intervals}
 */
public record Strike(Kind kind, String name, Instant since, String reason) {
    public Strike {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reason, "reason");
    }

    /** What a strike applies to. */
    public enum Kind {
        /** One model (or one device, when the caller passes devices as models). */
        MODEL("model"),
        /** Every miner of a priority class. */
        CLASS("class");

        private final String spelling;

        Kind(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }
}
