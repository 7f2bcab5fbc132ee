package io.headroom.controller.engine;

import io.headroom.controller.site.SiteSnapshot;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where the engine gets the active grid event's target and the reservations' holds from, and reports
 * back what the site did.
 */
public interface TargetSource {

    /** No grid events. */
    TargetSource NONE = new TargetSource() {
        @Override
        public @Nullable SiteTarget target(Instant now) {
            return null;
        }

        @Override
        public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {}
    };

    /** The active event's target now, or null. */
    @Nullable
    SiteTarget target(Instant now);

    /** The reservations' capacity holds now; none by default. */
    default java.util.List<CapacityHold> holds(Instant now) {
        return java.util.List.of();
    }

    /** The market's strikes now; none by default. */
    default MarketStrikes strikes(Instant now) {
        return MarketStrikes.NONE;
    }

    /**
     * After each tick, with the device facts as well (the market needs each device's model and
     * hashrate); by default the same as {@link #observe(Instant, SiteSnapshot, EngineState, TickResult)}.
     */
    default void observe(Instant now, SiteSnapshot power, DeviceFacts facts, EngineState state, TickResult result) {
        observe(now, power, state, result);
    }

    /** Until when an agent should hold a curtailment made for {@code eventId} without a controller: its end. */
    default @Nullable Instant holdUntil(String eventId) {
        return null;
    }

    /** After each tick: the site's load (metered or not), what is still curtailed, what the tick did. */
    void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result);
}
