package io.headroom.controller.reservation;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the reservation API serves from: the site's book, absent on a controller without a site
 * model (the API then answers 404).
 */
public final class Reservations {
    /** The path of the collection. */
    public static final String PATH = "/api/v1/reservations";

    private static final Reservations NONE = new Reservations(null);

    private final @Nullable ReservationBook book;

    private Reservations(@Nullable ReservationBook book) {
        this.book = book;
    }

    public static Reservations of(ReservationBook book) {
        return new Reservations(java.util.Objects.requireNonNull(book, "book"));
    }

    public static Reservations unconfigured() {
        return NONE;
    }

    public Optional<ReservationBook> book() {
        return Optional.ofNullable(book);
    }
}
