package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What {@link ViewEvents} calls changed, and the events it writes, over views whose JSON a test sets. */
class ViewEventsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<String> site = new AtomicReference<>("{\"at\":\"t1\",\"load_kw\":4.0}");
    private final AtomicReference<String> alerts = new AtomicReference<>("{\"firing\":[]}");
    private final ViewEvents views = new ViewEvents(
            List.of(
                    new ViewEvents.View("site", () -> json(site.get()), "at"),
                    new ViewEvents.View("alerts", () -> json(alerts.get()), null)),
            registry);

    private static JsonNode json(String text) {
        try {
            return Responses.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyViewIsChangedAtFirst_andItsEventIsItsJson_theStampFirst() {
        assertThat(views.refresh()).containsExactly("site", "alerts");

        assertThat(views.events(views.names()))
                .isEqualTo("event: site\ndata: {\"at\":\"t1\",\"load_kw\":4.0}\n\n"
                        + "event: alerts\ndata: {\"firing\":[]}\n\n");
    }

    @Test
    void aNewStampAlone_changesNothing_butGoesOutWithTheNextEvent() {
        views.refresh();
        site.set("{\"load_kw\":4.0,\"at\":\"t2\"}");

        assertThat(views.refresh()).isEmpty();
        assertThat(views.events(Set.of("site"))).isEqualTo("event: site\ndata: {\"at\":\"t2\",\"load_kw\":4.0}\n\n");

        site.set("{\"at\":\"t3\",\"load_kw\":4.5}");
        assertThat(views.refresh()).containsExactly("site");
    }

    @Test
    void aViewWithoutItsStamp_isSentAsItIs() {
        site.set("{\"error\":\"no site model configured\"}");
        views.refresh();

        assertThat(views.events(Set.of("site")))
                .isEqualTo("event: site\ndata: {\"error\":\"no site model configured\"}\n\n");
    }

    @Test
    void aViewWhoseBuildThrows_keepsItsLastEvent_isNotChanged_andIsCounted() {
        views.refresh();
        alerts.set("not json");

        assertThat(views.refresh()).isEmpty();
        assertThat(views.refresh()).isEmpty();
        assertThat(views.events(Set.of("alerts"))).isEqualTo("event: alerts\ndata: {\"firing\":[]}\n\n");
        assertThat(registry.get("headroom.http.streams.view.failures").counter().count())
                .isEqualTo(2);

        alerts.set("{\"firing\":[{\"alert\":\"HeadroomAgentStale\"}]}");
        assertThat(views.refresh()).containsExactly("alerts");
    }

    @Test
    void events_inTheViewsOrder_onlyThoseNamed() {
        views.refresh();

        assertThat(views.events(List.of("alerts", "site"))).startsWith("event: site\n");
        assertThat(views.events(Set.of("alerts"))).startsWith("event: alerts\n").doesNotContain("event: site");
        assertThat(views.events(Set.of())).isEmpty();
    }
}
