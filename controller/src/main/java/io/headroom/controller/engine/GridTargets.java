package io.headroom.controller.engine;

import io.headroom.controller.grid.ActiveTarget;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.site.PowerSource;
import io.headroom.controller.site.SiteProblem;
import io.headroom.controller.site.SiteSnapshot;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The grid-event book as the engine's {@link TargetSource}: its active target each tick, and back to
 * it the site's load (metered or not, so that only the meter can prove compliance), whether devices
 * are still curtailed for an event that ended, and which devices the tick acted on.
 */
public final class GridTargets implements TargetSource {

    private final GridEventBook book;

    public GridTargets(GridEventBook book) {
        this.book = Objects.requireNonNull(book, "book");
    }

    @Override
    public @Nullable SiteTarget target(Instant now) {
        Optional<ActiveTarget> active = book.activeTarget(now);
        return active.map(t -> new SiteTarget(t.eventId(), t.targetKw(), t.finalTargetKw(), t.deadline()))
                .orElse(null);
    }

    @Override
    public @Nullable Instant holdUntil(String eventId) {
        return book.get(eventId).map(view -> view.event().end()).orElse(null);
    }

    /**
     * True when the site's figure is a meter's: the site meter's, or the sum of meters on every feed
     * (a site without its own meter whose every feed is metered is measured, not estimated).
     */
    static boolean metered(SiteSnapshot power) {
        if (power.source(0) == PowerSource.METERED) {
            return true;
        }
        if (power.source(0) != PowerSource.SUM) {
            return false;
        }
        var feeds = power.model().children(0);
        return !feeds.isEmpty() && feeds.stream().allMatch(feed -> power.source(feed) == PowerSource.METERED);
    }

    @Override
    public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {
        for (Action action : result.actions()) {
            if (action.eventId() != null && !action.eventId().startsWith(ReservationBook.ID_PREFIX)) {
                book.acted(action.eventId(), action.deviceId(), action.kind().wireName(), now);
            }
        }
        boolean metered = metered(power);
        // A site figure with devices of no known power (just after a start, before agents report) is
        // not a load: counted as 0 kW it would make a reduce event's baseline 0 and its target 0.
        boolean known =
                metered || power.problems().stream().noneMatch(p -> p.code().equals(SiteProblem.NO_POWER_FIGURE));
        book.observe(now, known ? power.loadKw(0) : Double.NaN, metered, state.anyCurtailedForGridEvent());
    }
}
