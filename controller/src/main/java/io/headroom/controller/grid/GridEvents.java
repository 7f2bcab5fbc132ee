package io.headroom.controller.grid;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the grid-event API serves from: the site's book and the engine's dry run. A controller
 * without a site model has no book; the API then answers 404.
 */
public final class GridEvents {
    /** The path of the collection. */
    public static final String PATH = "/api/v1/grid-events";

    private final @Nullable GridEventBook book;
    private final DryRun dryRun;

    private GridEvents(@Nullable GridEventBook book, DryRun dryRun) {
        this.book = book;
        this.dryRun = Objects.requireNonNull(dryRun, "dryRun");
    }

    /** Grid events served from {@code book}, dry runs planned by {@code dryRun}. */
    public static GridEvents of(GridEventBook book, DryRun dryRun) {
        return new GridEvents(Objects.requireNonNull(book, "book"), dryRun);
    }

    /** No book: every grid-event request answers 404. */
    public static GridEvents unconfigured() {
        return new GridEvents(null, DryRun.NONE);
    }

    /** The book; empty when no site model is configured. */
    public Optional<GridEventBook> book() {
        return Optional.ofNullable(book);
    }

    public DryRun dryRun() {
        return dryRun;
    }
}
