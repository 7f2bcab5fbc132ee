package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventPriority;
import io.headroom.controller.grid.GridEventRequest;
import io.headroom.controller.grid.RequestedTarget;
import io.headroom.controller.site.PowerTruth;
import io.headroom.controller.site.SiteModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What the engine tells the grid-event book: just after a start, before any agent has reported, the
 * site's figure is not a load (its devices have no known power), so a reduce event does not take 0 kW
 * as its baseline; CI caught a 0 kW target that way.
 */
class GridTargetsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aSiteOfUnknownDevicesGivesTheBookNoBaseline() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(100, 100), EngineSettings.defaults());
        SiteModel model = site.model;
        GridEventBook book = new GridEventBook(record -> {}, new SimpleMeterRegistry());
        GridTargets targets = new GridTargets(book);
        String id = book.submit(
                        new GridEventRequest(
                                new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, 40),
                                T0,
                                T0.plusSeconds(600),
                                60,
                                GridEventPriority.NORMAL,
                                "test",
                                "r"),
                        "olga",
                        T0)
                .event()
                .id();
        EngineState state = new EngineState(model);
        TickResult nothing = new TickResult(T0, java.util.List.of(), java.util.List.of(), 0, "");

        targets.observe(T0, PowerTruth.compute(model, deviceId -> null, T0), state, nothing);
        assertThat(book.get(id).orElseThrow().event().baselineKw())
                .as("no baseline from unknown devices")
                .isNull();
        assertThat(targets.target(T0)).isNull();

        Instant t1 = T0.plusSeconds(1);
        targets.observe(
                t1,
                PowerTruth.compute(model, io.headroom.controller.site.DeviceLookup.ofViews(site::view), t1),
                state,
                nothing);
        assertThat(book.get(id).orElseThrow().event().baselineKw()).isEqualTo(24.0);
        assertThat(targets.target(t1)).isNotNull();
    }
}
